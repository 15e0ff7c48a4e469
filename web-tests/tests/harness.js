// What every browser test needs: the service's address (BASE_URL, set by run.sh), API set-up through the dev
// console, a phone-sized page in headless Chromium, screenshots under target/, and the axe-core check.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const {chromium} = require('playwright-core');

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';
const SHOTS = path.join(__dirname, '..', 'target', 'screenshots');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = {width: 390, height: 844};
// A condition the page must reach: generous, because the machine may be busy; never a fixed sleep.
const PATIENCE_MS = 30_000;

async function api(method, route, {token, body, headers} = {}) {
  const response = await fetch(BASE + route, {
    method,
    headers: Object.assign({'Content-Type': 'application/json'}, token ? {Authorization: `Bearer ${token}`} : {}, headers || {}),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null};
}

async function token(account, groups) {
  const answer = await api('POST', '/dev/tokens', {body: {account, groups}});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.token;
}

let scheduler;
async function schedulerToken() {
  scheduler = scheduler || await token('web-tests-ops', ['scheduler']);
  return scheduler;
}

/**
 * A date far ahead (slots may be published at most 730 days ahead), random per test and run, so that reruns on
 * one database rarely meet, and never in a way that matters: every test has a fresh account and its own slots.
 */
function farDate() {
  const days = 200 + Math.floor(Math.random() * 525);
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** An ISO instant in Beijing time, seconds from now. */
function beijingIn(seconds) {
  const d = new Date(Date.now() + seconds * 1000 + 8 * 3600_000);
  return d.toISOString().slice(0, 19) + '+08:00';
}

/**
 * Publishes slots of a new doctor at hospital/department on date: one per entry of `slots`
 * ({time: '09:00', capacity, fee}), released `releaseInSeconds` from now (negative: already open).
 */
async function publish({hospital = 'BCH', department = 'DERMATOLOGY', date, releaseInSeconds = -60, slots, admission}) {
  const sched = await schedulerToken();
  const doctor = await api('POST', '/api/v1/admin/doctors', {token: sched, body: {
    hospital, department, name: 'Dr. Wang Fang', title: 'Chief Physician', firstVisitQualified: true}});
  assert.equal(doctor.status, 201, JSON.stringify(doctor.body));
  const specs = slots.map(({time, capacity, fee}) => {
    const [h, m] = time.split(':').map(Number);
    const end = `${String(h + Math.floor((m + 15) / 60)).padStart(2, '0')}:${String((m + 15) % 60).padStart(2, '0')}`;
    return Object.assign({start: `${date}T${time}:00+08:00`, end: `${date}T${end}:00+08:00`, capacity}, fee ? {fee} : {});
  });
  const body = {doctorId: doctor.body.id, visitType: 'FIRST', releaseAt: beijingIn(releaseInSeconds), slots: specs};
  if (admission) body.admission = admission;
  const published = await api('POST', '/api/v1/admin/slots', {token: sched, body});
  assert.equal(published.status, 201, JSON.stringify(published.body));
  return published.body.slots.map((s) => s.id);
}

/** Someone else (another account) books a slot through the API. */
async function bookAsSomeoneElse(slotId) {
  const account = `web-tests-other-${Math.random().toString(16).slice(2, 10)}`;
  const parent = await token(account, ['patient']);
  const child = await api('POST', '/api/v1/patients', {token: parent, body: {name: 'Xiao Hong', birthDate: '2021-03-04', sex: 'FEMALE'}});
  const booked = await api('POST', '/api/v1/bookings', {token: parent, body: {slotId, patientId: child.body.id}});
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  return booked.body;
}

let browser;
async function openPage(query) {
  browser = browser || await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const context = await browser.newContext({viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const page = await context.newPage();
  page.setDefaultTimeout(PATIENCE_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${BASE}/?${new URLSearchParams(query)}`);
  await page.waitForSelector('body[data-ready="true"]');
  page.errors = errors;
  return page;
}

async function closeBrowser() {
  if (browser) await browser.close();
  browser = undefined;
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, {recursive: true});
  await page.screenshot({path: path.join(SHOTS, `${name}.png`)});
}

/** axe-core on the page as it is now: no serious or critical violation. */
async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({content: AXE});
  const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `axe violations on ${label}`);
}

/** Adds a child through the page's form and waits until the page selected it. */
async function addChild(page, name) {
  if (!(await page.$eval('#add-child', (d) => d.open))) await page.click('#add-child summary');
  await page.fill('#child-name', name);
  await page.fill('#child-birth', '2021-06-01');
  await page.selectOption('#child-sex', 'MALE');
  await page.click('#child-form button[type="submit"]');
  await page.waitForSelector(`#message[data-code="child-added"]`);
  await page.waitForFunction((n) => {
    const s = document.querySelector('#patient');
    return s.selectedOptions.length && s.selectedOptions[0].textContent === n;
  }, name);
}

/** Waits for the page's message with this code and returns its text; a timeout names the message shown instead. */
async function message(page, code) {
  try {
    await page.waitForSelector(`#message[data-code="${code}"]`);
  } catch (e) {
    const shown = await page.$eval('#message', (m) => `${m.dataset.code}: ${m.textContent}`).catch(() => 'none');
    throw new Error(`no "${code}" message; the page shows ${shown}`, {cause: e});
  }
  return page.textContent('#message');
}

const slot = (id) => `#slot-list li[data-slot="${id}"]`;

module.exports = {BASE, api, token, publish, bookAsSomeoneElse, farDate, beijingIn, openPage, closeBrowser, shot,
  assertAccessible, addChild, message, slot, PHONE};
