import t from 'tap';
import { databaseCapabilities, type BuildInfo } from './database.capabilities.js';

// The relevant fields of real answers: FerretDB v1.24.2 (measured here) and MongoDB 8.
const ferretBuildInfo: BuildInfo = { version: '7.0.42', ferretdbVersion: 'v1.24.2', ferretdbFeatures: { aggregationStages: ['$match'] } };
const mongoBuildInfo: BuildInfo = { version: '8.0.4' };

const mongodbPlan = { atomicConditionalUpdates: true, ttlIndexes: true, textSearch: true, writeLock: 'none', sessionExpiry: 'ttl-index' };
const ferretdbPlan = { atomicConditionalUpdates: false, ttlIndexes: false, textSearch: false, writeLock: 'redis', sessionExpiry: 'purge-timer' };

t.test('auto: a server sending ferretdbVersion is FerretDB and gets the workarounds', async (t) => {
  t.same(databaseCapabilities(ferretBuildInfo, 'auto'), { flavor: 'ferretdb', decidedBy: 'buildInfo', serverVersion: '7.0.42', ...ferretdbPlan });
  t.match(databaseCapabilities({ version: '7.0.42', ferretdbFeatures: {} }, 'auto'), { flavor: 'ferretdb' }, 'either FerretDB field is enough');
});

t.test('auto: a server with a version and no FerretDB fields is MongoDB: no Redis locks, TTL indexes', async (t) => {
  t.same(databaseCapabilities(mongoBuildInfo, 'auto'), { flavor: 'mongodb', decidedBy: 'buildInfo', serverVersion: '8.0.4', ...mongodbPlan });
  t.match(databaseCapabilities({ version: '7.0.42' }, 'auto'), { flavor: 'mongodb' }, 'the same version FerretDB claims, without its fields');
});

t.test('auto: an unknown server (no answer, no version) gets the conservative plan', async (t) => {
  t.same(databaseCapabilities(undefined, 'auto'), { flavor: 'unknown', decidedBy: 'buildInfo', ...ferretdbPlan });
  t.same(databaseCapabilities({ version: 7 }, 'auto'), { flavor: 'unknown', decidedBy: 'buildInfo', ...ferretdbPlan });
});

t.test('the setting overrides what the server says, both ways', async (t) => {
  t.same(databaseCapabilities(ferretBuildInfo, 'mongodb'), { flavor: 'mongodb', decidedBy: 'setting', serverVersion: '7.0.42', ...mongodbPlan });
  t.same(databaseCapabilities(mongoBuildInfo, 'ferretdb'), { flavor: 'ferretdb', decidedBy: 'setting', serverVersion: '8.0.4', ...ferretdbPlan });
  t.same(databaseCapabilities(undefined, 'mongodb'), { flavor: 'mongodb', decidedBy: 'setting', ...mongodbPlan }, 'without asking the server');
  t.same(databaseCapabilities(undefined, 'ferretdb'), { flavor: 'ferretdb', decidedBy: 'setting', ...ferretdbPlan });
});
