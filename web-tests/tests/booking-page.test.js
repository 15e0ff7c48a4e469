// The booking page as a parent on a phone sees it, against the packaged service (dev profile).
'use strict';

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

// A test that hangs fails on its own instead of holding the run until run.sh's bound.
const TEST_TIMEOUT_MS = 120_000;

after(h.closeBrowser);

test('book a slot, see the places go down, switch to English, cancel', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const [slotId] = await h.publish({date, slots: [{time: '09:00', capacity: 2}]});
  const page = await h.openPage({hospital: 'BCH', department: 'DERMATOLOGY', date});

  await page.waitForSelector(`${h.slot(slotId)}[data-status="OPEN"]`);
  assert.match(await page.textContent(h.slot(slotId)), /剩余 2 个/);
  await h.shot(page, '01-slots-open');
  await h.assertAccessible(page, 'the open day (zh-CN)');

  await h.addChild(page, '小明');
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'booked'), /预约成功/);
  await page.waitForSelector('#booking-list li[data-status="CONFIRMED"]');
  assert.match(await page.textContent('#booking-list li'), /已确认.*皮肤科.*小明/s);
  await page.waitForFunction((sel) => /剩余 1 个/.test(document.querySelector(sel).textContent), h.slot(slotId));
  await h.shot(page, '02-booked');

  await page.click('#lang');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#message'), /^Booked/);
  assert.match(await page.textContent('#booking-list li'), /Confirmed/);
  assert.match(await page.textContent(h.slot(slotId)), /1 left/);
  await h.shot(page, '03-booked-en');
  await h.assertAccessible(page, 'a confirmed booking (en)');

  await page.click('#booking-list li button.cancel');
  await page.waitForSelector('#booking-list li button.cancel.confirming');
  await page.click('#booking-list li button.cancel');
  assert.match(await h.message(page, 'cancelled'), /Booking cancelled/);
  await page.waitForSelector('#booking-list li[data-status="CANCELLED"]');
  await page.waitForFunction((sel) => /2 left/.test(document.querySelector(sel).textContent), h.slot(slotId));
  await h.shot(page, '04-cancelled-en');
  await page.click('#lang');
  await page.waitForSelector('html[lang="zh-CN"]');
  assert.deepEqual(page.errors, []);
});

test('a sold-out slot: the page says so in plain words', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const [slotId] = await h.publish({date, hospital: 'CCMC', department: 'NUTRITION', slots: [{time: '10:00', capacity: 1}]});
  const page = await h.openPage({hospital: 'CCMC', department: 'NUTRITION', date});
  await h.addChild(page, '小红');
  await page.waitForSelector(`${h.slot(slotId)}[data-status="OPEN"]`);

  await h.bookAsSomeoneElse(slotId);
  // The poll (If-None-Match, 304 until something changes) shows the slot full without a reload.
  await page.waitForSelector(`${h.slot(slotId)}[data-status="FULL"]`);
  assert.match(await page.textContent(h.slot(slotId)), /已约满.*剩余 0 个/s);
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'sold-out'), /已经约满/);
  await h.shot(page, '05-sold-out');
  await h.assertAccessible(page, 'a sold-out refusal');
});

test('before the release: a countdown, a not-open refusal, then a booking once it opens', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const [slotId] = await h.publish({date, department: 'GROWTH', releaseInSeconds: 8, slots: [{time: '08:30', capacity: 3}]});
  const page = await h.openPage({hospital: 'BCH', department: 'GROWTH', date});
  await h.addChild(page, '小刚');

  await page.waitForSelector(`${h.slot(slotId)}[data-status="UPCOMING"] .countdown`);
  assert.match(await page.textContent(`${h.slot(slotId)} .countdown`), /距放号 00:0\d/);
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'not-open'), /还没到放号时间，00:0\d 后开放预约/);
  await h.shot(page, '06-not-open-countdown');

  await page.waitForSelector(`${h.slot(slotId)}[data-status="OPEN"]`);
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'booked'), /预约成功/);
  await page.waitForSelector('#booking-list li[data-status="CONFIRMED"]');
});

test('a paid slot: the hold counts down, the dev payment confirms it', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const [slotId] = await h.publish({date, department: 'NUTRITION', slots: [{time: '14:00', capacity: 2, fee: 5000}]});
  const page = await h.openPage({hospital: 'BCH', department: 'NUTRITION', date});
  await h.addChild(page, '小丽');
  await page.waitForSelector(`${h.slot(slotId)}[data-status="OPEN"]`);
  assert.match(await page.textContent(h.slot(slotId)), /¥50\.00/);

  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'held'), /请在 1[45]:\d\d 内支付 ¥50\.00/);
  await page.waitForSelector('#booking-list li[data-status="PENDING_PAYMENT"] .hold');
  const before = await page.textContent('#booking-list li .hold');
  assert.match(before, /请在 1[45]:\d\d 内支付/);
  await page.waitForFunction((first) => document.querySelector('#booking-list li .hold').textContent !== first, before);
  await h.shot(page, '07-payment-hold');
  await page.$eval('#slots-title', (title) => title.scrollIntoView());
  await h.shot(page, '07-payment-hold-bookings');   // docs/booking-page.png
  await h.assertAccessible(page, 'a payment hold');

  await page.click('#booking-list li button.pay');
  assert.match(await h.message(page, 'paid'), /支付成功/);
  await page.waitForSelector('#booking-list li[data-status="CONFIRMED"]');
  assert.equal(await page.$('#booking-list li .hold'), null);
  await h.shot(page, '08-paid');
});

test('a QUEUE day: join the waiting room, see the place in line, book when admitted', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const admission = {mode: 'QUEUE', preQueueMinutes: 30, admitPerSecond: 1, passMinutes: 10};
  const [slotId] = await h.publish({date, hospital: 'CCMC', department: 'GROWTH', releaseInSeconds: 6, admission,
    slots: [{time: '11:00', capacity: 5}]});
  // Other parents in the line too, so that a place is worth showing.
  for (let i = 0; i < 2; i++) {
    const other = await h.token(`web-tests-queue-${Math.random().toString(16).slice(2, 10)}`, ['patient']);
    const taken = await h.api('POST', '/api/v1/queue/tickets', {token: other, body: {hospital: 'CCMC', department: 'GROWTH', date}});
    assert.equal(taken.status, 201, JSON.stringify(taken.body));
  }
  const page = await h.openPage({hospital: 'CCMC', department: 'GROWTH', date});
  await h.addChild(page, '小军');
  await page.waitForSelector('#queue:not([hidden]) #queue-join:not([disabled])');
  await h.shot(page, '09-queue-before');
  await page.click('#queue-join');
  await page.waitForSelector('#queue-state[data-state="WAITING"]');
  assert.match(await page.textContent('#queue-state'), /已进入排队，放号时（00:0\d 后）随机排序/);
  await h.shot(page, '10-queue-joined');

  // After the release the page shows the place drawn for this parent: the same as the API's.
  await page.waitForSelector('#queue-state .position');
  const shown = Number(await page.getAttribute('#queue-state .position', 'data-position'));
  const account = await page.evaluate(() => localStorage.getItem('fv.account'));
  const mine = await h.api('POST', '/api/v1/queue/tickets', {token: await h.token(account, ['patient']),
    body: {hospital: 'CCMC', department: 'GROWTH', date}});
  assert.equal(shown, mine.body.position);
  assert.match(await page.textContent('#queue-state'), new RegExp(`第 ${shown} 位`));
  await h.shot(page, '11-queue-place');
  await h.assertAccessible(page, 'the waiting room');

  await page.waitForSelector('#queue-state[data-state="ADMITTED"]');
  assert.match(await page.textContent('#queue-state'), /轮到您了/);
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'booked'), /预约成功/);
  await page.waitForSelector('#booking-list li[data-status="CONFIRMED"]');
  await h.shot(page, '12-queue-booked');
});

test('busy: a 429 is retried after Retry-After with the same key, and books once', {timeout: TEST_TIMEOUT_MS}, async () => {
  const date = h.farDate();
  const [slotId] = await h.publish({date, department: 'GROWTH', slots: [{time: '15:00', capacity: 2}]});
  const page = await h.openPage({hospital: 'BCH', department: 'GROWTH', date});
  await h.addChild(page, '小雨');
  await page.waitForSelector(`${h.slot(slotId)}[data-status="OPEN"]`);

  // The same account spends its booking attempts elsewhere (another tab, a script) until the bucket is empty and
  // its next attempt is seconds away (run.sh starts the service with one attempt per 5 s after a burst of 10, so
  // that this is not a race); then the parent taps.
  const account = await page.evaluate(() => localStorage.getItem('fv.account'));
  const parent = await h.token(account, ['patient']);
  const noSuchChild = {slotId, patientId: '00000000-0000-4000-8000-000000000000'};
  const keys = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/bookings')) keys.push(r.headers()['idempotency-key']);
  });
  let wait = 0;
  for (let attempt = 0; wait < 3; attempt++) {
    assert.ok(attempt < 40, 'the service refills the bucket too fast for this test: start it with '
      + 'FIRSTVISIT_RATE_LIMIT_BOOKINGS_PER_SECOND=0.2 (web-tests/run.sh does)');
    const answer = await h.api('POST', '/api/v1/bookings', {token: parent, body: noSuchChild});
    wait = answer.status === 429 ? Number(answer.headers.get('Retry-After')) : 0;
  }
  await page.click(`${h.slot(slotId)} button.book`);
  assert.match(await h.message(page, 'rate-limited'), /\d 秒后自动重试/);
  await h.shot(page, '13-rate-limited-retry');
  assert.match(await h.message(page, 'booked'), /预约成功/);
  assert.ok(keys.length >= 2, `the page retried (${keys.length} attempts)`);
  assert.equal(new Set(keys).size, 1, 'every retry sent the same Idempotency-Key');
  const mine = await h.api('GET', '/api/v1/bookings', {token: parent});
  assert.equal(mine.body.filter((b) => b.slotId === slotId).length, 1);
});
