/**
 * Files in two browsers: Ada attaches a PNG and a text file, Bob sees the thumbnail (fetched with his
 * token into a blob: URL), opens the full image and downloads the text file; Ada sets an avatar in
 * Settings → Profile and sees it.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import sharp from 'sharp';
import { directConversation } from '../chat/chat.test-support.js';
import { startWebHarness } from './web.browser.test-support.js';
import { messageRows, sendMessage, signedInPerson } from './web.flows.test-support.js';

t.setTimeout(150_000);

/** What the test reads of an <img> in the page (the backend's types have no DOM; the casts vanish before the function runs there). */
interface Img {
  complete: boolean;
  naturalWidth: number;
}

const TEXT = 'Here is the drawing and my notes.';
const NOTES = 'Engine notes: the mill, the store.';

t.test('Ada attaches a PNG and a file, Bob sees the thumbnail and downloads; Ada sets an avatar', async (t) => {
  const h = await startWebHarness(t);
  const { person: ada, account: adaAccount } = await signedInPerson(h, 'Ada', 'web-files');
  const { person: bob, account: bobAccount } = await signedInPerson(h, 'Bob', 'web-files');
  const conversationId = await directConversation(adaAccount, bobAccount);
  const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 60, b: 40 } } }).png().toBuffer();

  for (const person of [ada, bob]) {
    await person.page.goto(`/c/${conversationId}`);
    await person.page.getByLabel('Message', { exact: true }).waitFor();
  }

  // Ada: the attach button's file input takes both files; each becomes a chip once uploaded.
  await ada.page.locator('.composer input[type=file]').setInputFiles([
    { name: 'drawing.png', mimeType: 'image/png', buffer: png },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) },
  ]);
  const chips = ada.page.getByRole('list', { name: 'Files to send' });
  await chips.getByText(/^drawing\.png \(/).waitFor();
  await chips.getByText(/^notes\.txt \(/).waitFor();
  t.pass('both files uploaded (chips ready)');
  await sendMessage(ada.page, TEXT);
  await chips.waitFor({ state: 'detached' });
  t.pass('sent: the chips are gone');

  // Bob: the thumbnail arrives live, as a blob: URL that decoded.
  const row = messageRows(bob.page, TEXT);
  await row.waitFor();
  const image = row.getByRole('button', { name: 'Image drawing.png: open full size' });
  const thumb = image.locator('img');
  await thumb.waitFor();
  await bob.page.waitForFunction((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0, await thumb.elementHandle(), { timeout: 10_000 });
  t.match(await thumb.getAttribute('src'), /^blob:/, 'the thumbnail is a blob: URL');
  t.equal(await thumb.evaluate((el) => (el as unknown as Img).naturalWidth), 320, 'the server’s 320 px thumbnail');

  await image.click();
  const viewer = bob.page.getByRole('dialog', { name: 'Image drawing.png' });
  const full = viewer.locator('img');
  await full.waitFor();
  await bob.page.waitForFunction((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0, await full.elementHandle(), { timeout: 10_000 });
  t.equal(await full.evaluate((el) => (el as unknown as Img).naturalWidth), 400, 'the full image');
  await viewer.getByRole('button', { name: 'Close' }).click();
  await viewer.waitFor({ state: 'detached' });

  const [download] = await Promise.all([bob.page.waitForEvent('download'), row.getByRole('button', { name: /^Download notes\.txt \(/ }).click()]);
  t.equal(download.suggestedFilename(), 'notes.txt');
  const path = await download.path();
  t.equal(await readFile(path, 'utf8'), NOTES, 'the downloaded bytes');

  // Ada: a picture in Settings → Profile, shown there at once.
  await ada.page.goto('/settings');
  const avatarGroup = ada.page.getByRole('group', { name: 'Profile picture' });
  await avatarGroup.waitFor();
  await avatarGroup.locator('input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  await ada.page.getByText('Your picture was saved.').waitFor();
  const picture = avatarGroup.locator('.user-avatar img');
  await picture.waitFor();
  await ada.page.waitForFunction((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0, await picture.elementHandle(), { timeout: 10_000 });
  t.equal(await picture.evaluate((el) => (el as unknown as Img).naturalWidth), 256, 'the 256 px avatar');
  t.ok(await avatarGroup.getByRole('button', { name: 'Remove picture' }).isVisible(), 'it can be removed');
});
