// FirstVisit booking page: a parent chooses a department-day, watches its slots open, books for a child, and
// follows the booking. Plain JavaScript, no build step. The page holds no secret: in production the hosting app
// hands it a token in the URL fragment (#token=...); in development it asks the dev console (/dev/tokens) for one.
'use strict';

const API = '/api/v1';
const POLL_MS = 2000;          // availability: a conditional GET (If-None-Match → 304 while nothing changed)
const MAX_BUSY_RETRIES = 5;    // 429 / 503: retried as Retry-After says, with the same Idempotency-Key

// ---- Words -------------------------------------------------------------------------------------------------
const WORDS = {
  'zh-CN': {
    title: '首诊预约', choose: '选择医院、科室和日期', hospital: '医院', department: '科室', date: '就诊日期',
    child: '就诊人', bookFor: '为谁预约', addChild: '添加孩子', childName: '姓名', birthDate: '出生日期', sex: '性别',
    female: '女', male: '男', save: '保存', waitingRoom: '候诊排队', joinQueue: '进入排队', slots: '号源',
    myBookings: '我的预约', book: '预约', cancel: '取消预约', confirmCancel: '确认取消？', pay: '支付（开发环境）',
    accept: '接受', account: '账户：{id}', langButton: 'EN', langLabel: 'EN · Switch to English',
    noSlots: '这一天还没有号源。', noBookings: '还没有预约。', noChild: '请先添加孩子。', loading: '加载中…',
    remaining: '剩余 {n} 个', free: '免费', fee: '¥{yuan}', opensIn: '距放号 {t}', startsAt: '{date} {start}–{end}',
    childAdded: '已添加 {name}。', booked: '预约成功：{when}。', held: '已为您保留号源，请在 {t} 内支付 {fee}。',
    paid: '支付成功，预约已确认。', cancelled: '已取消预约。', refundDue: '已取消预约，费用将退回。',
    accepted: '已接受，预约已确认。', busyRetry: '排队人数较多，{s} 秒后自动重试…', holdLeft: '请在 {t} 内支付',
    offerLeft: '请在 {t} 内接受', signedOutProd: '请从医院 App 打开本页面。', signInFailed: '登录失败，请稍后再试。',
    queueIntro: '这一天的号源通过排队分配：放号前进入排队的家长将随机排序。',
    queueOpensIn: '{t} 后可以进入排队。', queueWaitingDraw: '已进入排队，放号时（{t} 后）随机排序，请不要离开本页面。',
    queueWaiting: '您排在第 {position} 位，前面还有 {ahead} 位，预计 {at} 轮到您。',
    queueAdmitted: '轮到您了（第 {position} 位）！请在 {t} 内完成预约。', queueExpired: '预约资格已过期，可重新排队。',
    queueSoldOut: '这一天的号源已约满。', queueClosed: '排队已结束。',
    slot: {UPCOMING: '未放号', OPEN: '可预约', FULL: '已约满', CLOSED: '已停诊', CANCELLED: '医院已取消'},
    booking: {PENDING_PAYMENT: '待支付', OFFERED: '候补待接受', CONFIRMED: '已确认', CHECKED_IN: '已签到', COMPLETED: '已就诊',
      NO_SHOW: '未到诊', EXPIRED: '已过期', CANCELLED: '已取消', RESCHEDULED: '已改约', CANCELLED_BY_HOSPITAL: '医院已取消'},
    visitType: {FIRST: '首诊', FOLLOW_UP: '复诊'},
    problem: {
      'sold-out': '很抱歉，这个时段已经约满了。可以看看其他时段或其他日期。',
      'not-open': '还没到放号时间，{t} 后开放预约。',
      'closed': '这个时段已经开始或结束，不能再预约。',
      'already-booked': '这个孩子在这一天的这个科室已经有预约了。',
      'account-limit': '您的账户在这一天的这个科室预约数已达上限。',
      'queue-required': '这一天需要先排队，轮到您之后才能预约。',
      'queue-not-open': '排队还没有开始，请稍后再来。',
      'queue-closed': '这一天的排队已经结束。',
      'queue-not-used': '这一天不需要排队，直接预约即可。',
      'rate-limited': '操作太频繁，请稍后再试。',
      'unavailable': '系统繁忙，请稍后再试。',
      'not-eligible': '这个孩子不符合该号源的就诊条件。',
      'slot-cancelled': '医院已取消这个时段。',
      'slot-not-found': '找不到这个时段，请刷新页面。',
      'patient-not-found': '找不到这位就诊人，请刷新页面。',
      'booking-not-found': '找不到这个预约，请刷新页面。',
      'cancellation-closed': '就诊时间已到，不能再取消。',
      'invalid-transition': '这个预约当前的状态不能这样操作。',
      'too-many-patients': '一个账户最多添加 10 位就诊人。',
      'hold-expired': '支付时间已过，号源已释放。',
      'already-paid': '这个预约已经支付过了。',
      'offer-expired': '候补号源的保留时间已过。',
      'payment-required': '请先支付以确认这个号源。',
      'invalid-request': '填写的信息有误，请检查后再试。',
      'unauthorized': '登录已过期，请从医院 App 重新打开本页面。',
      'forbidden': '这个账户不能进行此操作。',
      'network': '网络连接失败，请检查网络后重试。',
    },
    eligibility: {
      age: '孩子的年龄超过了这个科室的接诊年龄。', 'already-seen': '这个孩子最近已在该科室就诊过，请预约复诊号。',
      'no-prior-visit': '复诊号需要孩子近期在该科室有完成的就诊。',
    },
    hospitals: {BCH: '北京儿童医院', CCMC: '首都儿科研究所附属儿童医院'},
    departments: {GROWTH: '生长发育科', NUTRITION: '营养科', DERMATOLOGY: '皮肤科'},
  },
  en: {
    title: 'First visit booking', choose: 'Choose hospital, department and date', hospital: 'Hospital', department: 'Department',
    date: 'Visit date', child: 'Patient', bookFor: 'Book for', addChild: 'Add a child', childName: 'Name', birthDate: 'Date of birth',
    sex: 'Sex', female: 'Female', male: 'Male', save: 'Save', waitingRoom: 'Waiting room', joinQueue: 'Join the line',
    slots: 'Slots', myBookings: 'My bookings', book: 'Book', cancel: 'Cancel', confirmCancel: 'Really cancel?',
    pay: 'Pay (dev)', accept: 'Accept', account: 'Account: {id}', langButton: '中文', langLabel: '中文 · 切换到中文',
    noSlots: 'No slots on this day yet.', noBookings: 'No bookings yet.', noChild: 'Add a child first.', loading: 'Loading…',
    remaining: '{n} left', free: 'Free', fee: '¥{yuan}', opensIn: 'Opens in {t}', startsAt: '{date} {start}–{end}',
    childAdded: '{name} added.', booked: 'Booked: {when}.', held: 'Your place is held: pay {fee} within {t}.',
    paid: 'Paid: the booking is confirmed.', cancelled: 'Booking cancelled.', refundDue: 'Booking cancelled; the fee will be refunded.',
    accepted: 'Accepted: the booking is confirmed.', busyRetry: 'Very busy right now; trying again in {s} s…',
    holdLeft: 'Pay within {t}', offerLeft: 'Accept within {t}', signedOutProd: 'Please open this page from the hospital app.',
    signInFailed: 'Could not sign in; please try again later.',
    queueIntro: 'This day books through a waiting room: parents who join before the release are put in a random order.',
    queueOpensIn: 'The line opens in {t}.', queueWaitingDraw: 'You are in the line. Places are drawn at the release (in {t}); keep this page open.',
    queueWaiting: 'You are number {position} in line, {ahead} ahead of you; your turn at about {at}.',
    queueAdmitted: 'Your turn (number {position})! Book within {t}.', queueExpired: 'Your turn has passed; you can join the line again.',
    queueSoldOut: 'Every slot of this day is taken.', queueClosed: 'The line has closed.',
    slot: {UPCOMING: 'Not open yet', OPEN: 'Open', FULL: 'Full', CLOSED: 'Closed', CANCELLED: 'Cancelled by the hospital'},
    booking: {PENDING_PAYMENT: 'Waiting for payment', OFFERED: 'Offered', CONFIRMED: 'Confirmed', CHECKED_IN: 'Checked in',
      COMPLETED: 'Completed', NO_SHOW: 'Missed', EXPIRED: 'Expired', CANCELLED: 'Cancelled', RESCHEDULED: 'Rescheduled',
      CANCELLED_BY_HOSPITAL: 'Cancelled by the hospital'},
    visitType: {FIRST: 'First visit', FOLLOW_UP: 'Follow-up'},
    problem: {
      'sold-out': 'Sorry, this slot is fully booked. Try another time or another day.',
      'not-open': 'Booking has not opened yet; it opens in {t}.',
      'closed': 'This slot has started or ended and can no longer be booked.',
      'already-booked': 'This child already has a booking in this department on this day.',
      'account-limit': 'Your account has reached its limit of bookings in this department on this day.',
      'queue-required': 'This day books through the waiting room: join the line and book when it is your turn.',
      'queue-not-open': 'The line has not opened yet; please come back a little later.',
      'queue-closed': 'The line for this day has closed.',
      'queue-not-used': 'No line for this day: book directly.',
      'rate-limited': 'Too many attempts; please wait a moment.',
      'unavailable': 'The service is busy; please try again shortly.',
      'not-eligible': 'This child cannot be booked on this slot.',
      'slot-cancelled': 'The hospital cancelled this slot.',
      'slot-not-found': 'This slot no longer exists; please reload.',
      'patient-not-found': 'This child was not found; please reload.',
      'booking-not-found': 'This booking was not found; please reload.',
      'cancellation-closed': 'The visit has started; it can no longer be cancelled.',
      'invalid-transition': 'This booking cannot be changed that way now.',
      'too-many-patients': 'An account can have at most 10 children.',
      'hold-expired': 'The time to pay has passed; the place was released.',
      'already-paid': 'This booking is already paid.',
      'offer-expired': 'The offered place is no longer held for you.',
      'payment-required': 'Pay to take this place.',
      'invalid-request': 'Something in the form is not right; please check it.',
      'unauthorized': 'Your sign-in has expired; reopen this page from the hospital app.',
      'forbidden': 'This account cannot do that.',
      'network': 'No connection; check the network and try again.',
    },
    eligibility: {
      age: 'The child is older than this department accepts.',
      'already-seen': 'The child was seen in this department recently: book a follow-up slot.',
      'no-prior-visit': 'A follow-up slot needs a recent completed visit in this department.',
    },
    hospitals: {}, departments: {},
  },
};

let lang = localStorage.getItem('fv.lang') === 'en' ? 'en' : 'zh-CN';

function t(key, vars) {
  const path = key.split('.');
  let text = path.reduce((o, k) => (o == null ? undefined : o[k]), WORDS[lang]);
  if (text === undefined) text = path.reduce((o, k) => (o == null ? undefined : o[k]), WORDS['zh-CN']);
  if (typeof text !== 'string') return undefined;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars && vars[name] !== undefined ? vars[name] : ''));
}

// ---- State --------------------------------------------------------------------------------------------------
const state = {
  token: null, account: null, devConsole: false,
  hospitals: [], patients: [], slots: [], bookings: [],
  etag: null, slotsKey: null, pollTimer: null,
  ticket: null, ticketTimer: null,
  clockOffset: 0,           // server time − this phone's time, when the phone's clock is off by more than 2 s
  message: null,            // {kind, key, vars, code, until}
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) return;
    if (k === 'on') Object.entries(v).forEach(([event, fn]) => node.addEventListener(event, fn));
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  });
  children.flat().forEach((c) => { if (c !== null && c !== undefined) node.append(c); });
  return node;
}

const now = () => Date.now() + state.clockOffset;

function countdown(untilMs) {
  const s = Math.max(0, Math.ceil((untilMs - now()) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

// Beijing wall-clock parts of an instant, whatever the phone's zone.
function beijing(iso) {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return {date: d.toISOString().slice(0, 10), time: d.toISOString().slice(11, 16)};
}

function beijingToday(plusDays) {
  return new Date(now() + 8 * 3600 * 1000 + (plusDays || 0) * 86400 * 1000).toISOString().slice(0, 10);
}

const yuan = (fen) => (fen === 0 ? t('free') : t('fee', {yuan: (fen / 100).toFixed(2)}));

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// ---- API ----------------------------------------------------------------------------------------------------
class Refusal extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.title || String(status));
    this.status = status;
    this.problem = problem;
    this.code = (problem.type || '').split('/').pop() || (status === 0 ? 'network' : 'unavailable');
    this.retryAfter = retryAfter;
  }
}

async function api(method, path, {body, headers, etag} = {}) {
  const h = {'Accept-Language': lang === 'en' ? 'en' : 'zh-CN', 'Accept': 'application/json, application/problem+json'};
  if (state.token) h.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (etag) h['If-None-Match'] = etag;
  Object.assign(h, headers || {});
  let response;
  try {
    // no-store: the page does its own conditional requests and must see each 304 itself.
    response = await fetch(path.startsWith('/') ? path : `${API}/${path}`,
      {method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store'});
  } catch (e) {
    throw new Refusal(0, {type: 'network'}, null);
  }
  noteServerClock(response);
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  if (response.status === 304) return {status: 304, headers: response.headers, body: null};
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) throw new Refusal(response.status, data || {}, retryAfter);
  return {status: response.status, headers: response.headers, body: data};
}

function noteServerClock(response) {
  const date = Date.parse(response.headers.get('Date') || '');
  if (!Number.isNaN(date)) {
    const offset = date - Date.now();
    state.clockOffset = Math.abs(offset) > 2000 ? offset : 0;  // the Date header has whole seconds only
  }
}

// A booking attempt: one Idempotency-Key for the tap, kept across the retries Retry-After asks for.
async function withRetries(send) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof Refusal) || (e.status !== 429 && e.status !== 503) || attempt >= MAX_BUSY_RETRIES) throw e;
      const seconds = Math.min(Math.max(e.retryAfter || 1, 1), 30);
      show('wait', 'busyRetry', {s: seconds}, e.code);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

// ---- Messages ------------------------------------------------------------------------------------------------
function show(kind, key, vars, code, until) {
  state.message = {kind, key, vars: vars || {}, code: code || key, until};
  renderMessage();
}

function showRefusal(e) {
  const code = e instanceof Refusal ? e.code : 'network';
  const p = (e && e.problem) || {};
  if (code === 'not-open' && p.releaseAt) {
    show('refused', 'problem.not-open', {}, code, Date.parse(p.releaseAt));
    return;
  }
  if (code === 'not-eligible' && t(`eligibility.${p.reason}`)) {
    show('refused', `eligibility.${p.reason}`, {}, code);
    return;
  }
  if (t(`problem.${code}`)) {
    show('refused', `problem.${code}`, {}, code);
    return;
  }
  // A refusal this page has no words for: the server's own title (it follows Accept-Language).
  state.message = {kind: 'refused', text: p.detail || p.title || String(e.message), code};
  renderMessage();
}

function renderMessage() {
  const box = $('message');
  const m = state.message;
  if (!m) { box.hidden = true; return; }
  box.hidden = false;
  box.className = `message ${m.kind}`;
  box.dataset.code = m.code;
  const vars = Object.assign({}, m.vars, m.until ? {t: countdown(m.until)} : {});
  box.textContent = m.text || t(m.key, vars);
}

// ---- Sign-in -------------------------------------------------------------------------------------------------
// Production: the hosting app opens the page with #token=<JWT> (a fragment never reaches a server or its logs);
// the page keeps it for this tab only and removes it from the address bar. Development: the dev console mints a
// token for an account id kept in localStorage.
async function signIn() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) {
    sessionStorage.setItem('fv.token', fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const given = sessionStorage.getItem('fv.token');
  if (given) {
    state.token = given;
    state.account = accountOf(given);
    return true;
  }
  let account = localStorage.getItem('fv.account');
  if (!account) {
    account = `parent-${newKey().slice(0, 8)}`;
    localStorage.setItem('fv.account', account);
  }
  try {
    const minted = await api('POST', '/dev/tokens', {body: {account, groups: ['patient']}});
    state.token = minted.body.token;
    state.account = account;
    state.devConsole = true;
    return true;
  } catch (e) {
    show('refused', e.status === 404 ? 'signedOutProd' : 'signInFailed', {}, 'signed-out');
    return false;
  }
}

function accountOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload)))).sub;
  } catch (e) {
    return null;
  }
}

// ---- Catalog and choice -------------------------------------------------------------------------------------
const hospitalName = (h) => t(`hospitals.${h.code}`) || h.name;
const departmentName = (d) => t(`departments.${d.code}`) || d.name;

function renderChoices() {
  const hSel = $('hospital'), dSel = $('department');
  const chosenH = hSel.value || state.choice.hospital, chosenD = dSel.value || state.choice.department;
  hSel.replaceChildren(...state.hospitals.map((h) => el('option', {value: h.code, selected: h.code === chosenH}, hospitalName(h))));
  const hospital = state.hospitals.find((h) => h.code === hSel.value) || state.hospitals[0];
  const departments = hospital ? hospital.departments : [];
  dSel.replaceChildren(...departments.map((d) => el('option', {value: d.code, selected: d.code === chosenD}, departmentName(d))));
}

function choice() {
  return {hospital: $('hospital').value, department: $('department').value, date: $('date').value};
}

// Deep links (the hosting app, the browser tests): ?hospital=BCH&department=DERMATOLOGY&date=2027-01-15
function initialChoice() {
  const q = new URLSearchParams(location.search);
  return {hospital: q.get('hospital'), department: q.get('department'), date: q.get('date') || beijingToday(1)};
}

// ---- Slots ---------------------------------------------------------------------------------------------------
async function loadSlots() {
  const c = choice();
  if (!c.hospital || !c.department || !c.date) return;
  const key = `${c.hospital}|${c.department}|${c.date}`;
  if (key !== state.slotsKey) {
    state.slotsKey = key;
    state.etag = null;
    state.slots = [];
    $('slot-list').replaceChildren();
    $('slots-note').textContent = t('loading');
    resetTicket();
  }
  try {
    const answer = await api('GET', `slots?hospital=${encodeURIComponent(c.hospital)}&department=${encodeURIComponent(c.department)}`
      + `&date=${encodeURIComponent(c.date)}`, {etag: state.etag});
    if (key !== state.slotsKey) return;           // the parent chose another day meanwhile
    if (answer.status === 304) return;            // nothing changed
    state.etag = answer.headers.get('ETag');
    state.slots = answer.body;
    renderSlots();
    renderQueue();
  } catch (e) {
    if (e.code === 'invalid-request') { $('slots-note').textContent = e.problem.detail || ''; return; }
    if (!(e instanceof Refusal) || e.status >= 500 || e.status === 0) return; // the next poll tries again
    showRefusal(e);
  }
}

function schedulePoll() {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(async () => {
    if (!document.hidden) await loadSlots();
    schedulePoll();
  }, POLL_MS);
}

function renderSlots() {
  const list = $('slot-list');
  $('slots-note').textContent = state.slots.length ? '' : t('noSlots');
  list.replaceChildren(...state.slots.map((s) => {
    const start = beijing(s.start), end = beijing(s.end);
    const doctor = s.doctor ? `${s.doctor.name}${s.doctor.title ? ` · ${s.doctor.title}` : ''}` : '';
    const bookable = s.status !== 'CLOSED' && s.status !== 'CANCELLED';
    return el('li', {dataset: {slot: s.id, status: s.status}},
      el('span', {class: 'what'}, `${start.time}–${end.time} `, el('span', {class: `status ${s.status}`}, t(`slot.${s.status}`))),
      el('span', {class: 'detail'}, [doctor, t(`visitType.${s.visitType}`), yuan(s.fee)].filter(Boolean).join(' · ')),
      el('span', {class: 'detail'},
        s.status === 'UPCOMING'
          ? el('span', {class: 'countdown', dataset: {until: Date.parse(s.releaseAt), key: 'opensIn'}}, t('opensIn', {t: countdown(Date.parse(s.releaseAt))}))
          : el('span', {class: 'remaining'}, t('remaining', {n: s.remaining}))),
      el('span', {class: 'actions'}, bookable
        ? el('button', {type: 'button', class: 'book', 'aria-label': `${t('book')} ${start.time}`, on: {click: () => book(s)}}, t('book'))
        : null));
  }));
}

// ---- Booking -------------------------------------------------------------------------------------------------
async function book(slot) {
  const patientId = $('patient').value;
  if (!patientId) {
    show('refused', 'noChild', {}, 'no-child');
    $('add-child').open = true;
    return;
  }
  const key = newKey();
  const headers = {'Idempotency-Key': key};
  if (slot.admission && slot.admission.mode === 'QUEUE' && state.ticket) headers['Admission-Ticket'] = state.ticket.id;
  try {
    const answer = await withRetries(() => api('POST', 'bookings', {body: {slotId: slot.id, patientId}, headers}));
    const b = answer.body;
    const when = `${beijing(b.start).date} ${beijing(b.start).time}`;
    if (b.status === 'PENDING_PAYMENT') show('ok', 'held', {fee: yuan(b.fee)}, 'held', Date.parse(b.holdExpiresAt));
    else show('ok', 'booked', {when}, 'booked');
  } catch (e) {
    showRefusal(e);
    if (e.code === 'queue-required') renderQueue();
  }
  state.etag = null;
  await Promise.all([loadSlots(), loadBookings()]);
}

// ---- Children ------------------------------------------------------------------------------------------------
async function loadPatients(select) {
  const answer = await api('GET', 'patients');
  state.patients = answer.body;
  const current = select || $('patient').value;
  $('patient').replaceChildren(...state.patients.map((p) => el('option', {value: p.id, selected: p.id === current}, p.name)));
}

async function addChild(event) {
  event.preventDefault();
  const form = event.target;
  const child = {name: form.name.value.trim(), birthDate: form.birthDate.value, sex: form.sex.value};
  try {
    const answer = await api('POST', 'patients', {body: child});
    await loadPatients(answer.body.id);
    form.reset();
    $('add-child').open = false;
    show('ok', 'childAdded', {name: child.name}, 'child-added');
    renderBookings();
  } catch (e) {
    showRefusal(e);
  }
}

// ---- Bookings ------------------------------------------------------------------------------------------------
async function loadBookings() {
  try {
    state.bookings = (await api('GET', 'bookings')).body;
    renderBookings();
  } catch (e) {
    if (e instanceof Refusal && e.status === 401) showRefusal(e);
  }
}

const CANCELLABLE = ['PENDING_PAYMENT', 'OFFERED', 'CONFIRMED'];

function renderBookings() {
  $('bookings-note').textContent = state.bookings.length ? '' : t('noBookings');
  $('booking-list').replaceChildren(...state.bookings.map((b) => {
    const start = beijing(b.start), end = beijing(b.end);
    const child = state.patients.find((p) => p.id === b.patientId);
    const hospital = state.hospitals.find((h) => h.code === b.hospital);
    const department = hospital && hospital.departments.find((d) => d.code === b.department);
    const deadline = b.status === 'PENDING_PAYMENT' ? b.holdExpiresAt : b.offerExpiresAt;
    const actions = [];
    if (b.status === 'PENDING_PAYMENT' && state.devConsole) {
      actions.push(el('button', {type: 'button', class: 'pay', on: {click: () => pay(b)}}, t('pay')));
    }
    if (b.status === 'OFFERED') actions.push(el('button', {type: 'button', class: 'accept', on: {click: () => accept(b)}}, t('accept')));
    if (CANCELLABLE.includes(b.status)) {
      actions.push(el('button', {type: 'button', class: 'quiet cancel', on: {click: (e) => cancel(b, e.currentTarget)}}, t('cancel')));
    }
    return el('li', {dataset: {booking: b.id, status: b.status}},
      el('span', {class: 'what'}, `${start.date} ${start.time}–${end.time} `, el('span', {class: `status ${b.status}`}, t(`booking.${b.status}`))),
      el('span', {class: 'detail'}, [hospital ? hospitalName(hospital) : b.hospital, department ? departmentName(department) : b.department,
        b.doctor && b.doctor.name, child && child.name, yuan(b.fee)].filter(Boolean).join(' · ')),
      deadline && (b.status === 'PENDING_PAYMENT' || b.status === 'OFFERED')
        ? el('span', {class: 'detail countdown hold', dataset: {until: Date.parse(deadline), key: b.status === 'OFFERED' ? 'offerLeft' : 'holdLeft'}},
          t(b.status === 'OFFERED' ? 'offerLeft' : 'holdLeft', {t: countdown(Date.parse(deadline))}))
        : null,
      actions.length ? el('span', {class: 'actions'}, actions) : null);
  }));
}

async function cancel(b, button) {
  if (!button.classList.contains('confirming')) {   // a second tap confirms: a stray tap must not lose a place
    button.classList.add('confirming');
    button.textContent = t('confirmCancel');
    return;
  }
  try {
    const answer = await api('DELETE', `bookings/${b.id}`);
    show('ok', answer.body.refundDue ? 'refundDue' : 'cancelled', {}, 'cancelled');
  } catch (e) {
    showRefusal(e);
  }
  state.etag = null;
  await Promise.all([loadBookings(), loadSlots()]);
}

// Development only: the dev console signs a payment notification as the payment system would.
async function pay(b) {
  try {
    await api('POST', '/dev/payments', {body: {bookingId: b.id}});
    show('ok', 'paid', {}, 'paid');
  } catch (e) {
    showRefusal(e);
  }
  await loadBookings();
}

async function accept(b) {
  try {
    await api('POST', `bookings/${b.id}/accept`);
    show('ok', 'accepted', {}, 'accepted');
  } catch (e) {
    showRefusal(e);
  }
  await loadBookings();
}

// ---- Waiting room (QUEUE releases) -------------------------------------------------------------------------
function queueRelease() {
  const queued = state.slots.find((s) => s.admission && s.admission.mode === 'QUEUE');
  return queued ? {releaseAt: Date.parse(queued.releaseAt), opensAt: Date.parse(queued.queueOpensAt)} : null;
}

const ticketStoreKey = () => `fv.ticket|${state.account}|${state.slotsKey}`;

function resetTicket() {
  clearTimeout(state.ticketTimer);
  state.ticket = null;
  const stored = localStorage.getItem(ticketStoreKey());
  if (stored) {
    state.ticket = {id: stored};
    pollTicket(0);
  }
}

function renderQueue() {
  const release = queueRelease();
  const section = $('queue');
  section.hidden = !release;
  if (!release) return;
  const join = $('queue-join');
  const ticket = state.ticket;
  const stateLine = $('queue-state');
  stateLine.dataset.state = ticket && ticket.state ? ticket.state : 'NONE';
  join.hidden = !!(ticket && ticket.state && ticket.state !== 'EXPIRED');
  join.disabled = now() < release.opensAt;
  stateLine.replaceChildren(queueText(ticket, release));
}

function queueText(ticket, release) {
  if (!ticket || !ticket.state) {
    return now() < release.opensAt
      ? el('span', {class: 'countdown', dataset: {until: release.opensAt, key: 'queueOpensIn'}}, t('queueOpensIn', {t: countdown(release.opensAt)}))
      : t('queueIntro');
  }
  const position = ticket.position;
  switch (ticket.state) {
    case 'WAITING':
      if (position == null) {
        return el('span', {class: 'countdown', dataset: {until: release.releaseAt, key: 'queueWaitingDraw'}},
          t('queueWaitingDraw', {t: countdown(release.releaseAt)}));
      }
      return el('span', {class: 'position', dataset: {position}},
        t('queueWaiting', {position, ahead: ticket.ahead, at: ticket.estimatedAdmitAt ? beijing(ticket.estimatedAdmitAt).time : '—'}));
    case 'ADMITTED':
      return el('span', {class: 'position', dataset: {position, until: Date.parse(ticket.admittedUntil), key: 'queueAdmitted'}},
        t('queueAdmitted', {position, t: countdown(Date.parse(ticket.admittedUntil))}));
    case 'EXPIRED': return t('queueExpired');
    default: return t('queueSoldOut');
  }
}

async function joinQueue() {
  const c = choice();
  try {
    const answer = await withRetries(() => api('POST', 'queue/tickets', {body: c}));
    acceptTicket(answer);
  } catch (e) {
    showRefusal(e);
  }
}

function acceptTicket(answer) {
  state.ticket = answer.body;
  localStorage.setItem(ticketStoreKey(), answer.body.id);
  renderQueue();
  const wait = Number(answer.headers.get('Retry-After')) || 1;
  if (answer.body.state === 'WAITING' || answer.body.state === 'ADMITTED') pollTicket(Math.min(Math.max(wait, 1), 30) * 1000);
}

// Looks again when Retry-After says (the server spreads the crowd's looks), at most every 30 s.
function pollTicket(delayMs) {
  clearTimeout(state.ticketTimer);
  const key = state.slotsKey;
  state.ticketTimer = setTimeout(async () => {
    if (!state.ticket || key !== state.slotsKey) return;
    try {
      acceptTicket(await api('GET', `queue/tickets/${state.ticket.id}`));
    } catch (e) {
      if (e instanceof Refusal && e.status === 404) {
        localStorage.removeItem(ticketStoreKey());
        state.ticket = null;
        renderQueue();
      } else {
        pollTicket(Math.min(Math.max(e.retryAfter || 2, 1), 30) * 1000);
      }
    }
  }, delayMs);
}

// ---- Clock: countdowns move every quarter second; an instant reached refreshes what it changes ---------------
function tick() {
  document.querySelectorAll('.countdown[data-until]').forEach((node) => {
    const until = Number(node.dataset.until);
    const vars = {t: countdown(until)};
    if (node.dataset.position) vars.position = node.dataset.position;
    node.textContent = t(node.dataset.key, vars);
    if (until <= now() && !node.dataset.done) {
      node.dataset.done = '1';
      if (node.closest('#slot-list')) { state.etag = null; loadSlots(); }
      if (node.closest('#booking-list')) setTimeout(loadBookings, 1000); // the hold has ended: the server expires it
      if (node.closest('#queue')) renderQueue();
    }
  });
  document.querySelectorAll('#queue .position[data-until]').forEach((node) => {
    node.textContent = t(node.dataset.key, {position: node.dataset.position, t: countdown(Number(node.dataset.until))});
  });
  if (state.message && state.message.until) renderMessage();
  const release = queueRelease();
  if (release && !$('queue').hidden) $('queue-join').disabled = now() < release.opensAt;
}

// ---- Language ------------------------------------------------------------------------------------------------
function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = `${t('title')} · FirstVisit`;
  document.querySelectorAll('[data-i18n]').forEach((node) => { node.textContent = t(node.dataset.i18n); });
  const toggle = $('lang');
  toggle.textContent = t('langButton');
  toggle.setAttribute('aria-label', t('langLabel'));
  toggle.setAttribute('lang', lang === 'en' ? 'zh-CN' : 'en');
  $('account').textContent = state.account ? t('account', {id: state.account}) : '';
  if (state.hospitals.length) renderChoices();
  renderSlots();
  renderBookings();
  renderQueue();
  renderMessage();
}

// ---- Start ---------------------------------------------------------------------------------------------------
async function start() {
  state.choice = initialChoice();
  $('date').value = state.choice.date;
  $('date').min = beijingToday(0);
  $('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem('fv.lang', lang);
    applyLanguage();
  });
  applyLanguage();
  state.hospitals = (await api('GET', 'hospitals')).body;
  renderChoices();
  if (!(await signIn())) return;
  applyLanguage();
  $('hospital').addEventListener('change', () => { renderChoices(); loadSlots(); });
  $('department').addEventListener('change', loadSlots);
  $('date').addEventListener('change', loadSlots);
  $('child-form').addEventListener('submit', addChild);
  $('queue-join').addEventListener('click', joinQueue);
  await Promise.all([loadPatients(), loadSlots()]);
  await loadBookings();
  if (!state.patients.length) $('add-child').open = true;
  schedulePoll();
  setInterval(tick, 250);
  document.body.dataset.ready = 'true';
}

start().catch((e) => showRefusal(e));
