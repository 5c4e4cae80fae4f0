import t from 'tap';
import { resumeSeq } from './resume.cursor.js';

const sent = (...seqs: number[]) => seqs.map((seq) => ({ seq, state: 'sent' }));

t.test('the end of the first unbroken run of held positions', async (t) => {
  t.equal(resumeSeq(sent(31, 32, 33)), 33, 'all held: after the newest');
  t.equal(resumeSeq(sent(33, 31, 32)), 33, 'in any order');
  t.equal(resumeSeq(sent(31, 32, 34, 35)), 32, 'a missing one (its event not here yet): resume before it');
  t.equal(resumeSeq([...sent(5), { seq: 6, state: 'pending' }]), 5, 'unsent messages do not count');
  t.equal(resumeSeq(sent(0, 0)), undefined, 'only messages stored before positions existed: resume by id');
  t.equal(resumeSeq([]), undefined);
  t.equal(resumeSeq(sent(0, 7, 8)), 8, 'older messages without a position are ignored');
});
