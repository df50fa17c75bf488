// The API client: one function per server call, so pages never build a path, a header or a body themselves.
// wx.request with the JWT access token for the REST API (one refresh on 401); allauth's headless endpoints
// with the X-Session-Token. Routes come from routes.js. test/api-contract.test.js calls EVERY function
// exported here and validates what it sends against openapi.json (the REST API) and allauth-openapi.json
// (allauth headless), so a body that drifts from the server fails the tests, not the resident.
const routes = require('./routes');
const config = require('../config');

const TOKENS_KEY = 'tokens';
const PHONE_KEY = 'phone'; // the number last used to sign in or up: the request form's contact phone

// --- plumbing ---------------------------------------------------------------------------------------

function fillPath(template, params) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (params[name] === undefined || params[name] === null || params[name] === '') {
      throw new Error(`missing path parameter ${name}`);
    }
    return encodeURIComponent(params[name]);
  });
}

function tokens() {
  return wx.getStorageSync(TOKENS_KEY) || {};
}

function saveTokens(meta) {
  const current = tokens();
  wx.setStorageSync(TOKENS_KEY, {
    access: meta.access_token || current.access,
    refresh: meta.refresh_token || current.refresh,
    session: meta.session_token || current.session,
  });
}

function clearTokens() {
  wx.removeStorageSync(TOKENS_KEY);
}

// The mobile number last used to sign in or up, as 11 digits (for the request form's contact phone).
function lastPhone() {
  return String(wx.getStorageSync(PHONE_KEY) || '').replace(/^\+86/, '');
}

function rememberPhone(phone) {
  wx.setStorageSync(PHONE_KEY, phone);
}

// A key made once per request the resident raises; sent again on a retry of the same tap (Idempotency-Key).
function newIdempotencyKey() {
  return `mp-${Date.now()}-${Math.random().toString(16).slice(2, 14)}`;
}

function rawRequest(method, url, data, header) {
  return new Promise((resolve, reject) => {
    const options = {
      url: config.baseUrl + url,
      method,
      header: Object.assign({ 'content-type': 'application/json' }, header),
      success: (res) => resolve(res),
      fail: (err) => reject(Object.assign(new Error('网络连接失败，请稍后再试'), { errMsg: err && err.errMsg })),
    };
    if (data !== undefined) options.data = data;
    wx.request(options);
  });
}

// allauth answers {errors: [{code, message, param}]}; the REST API {code, detail, params}, where detail is
// a message or, for a form that did not validate, {field: [messages]}.
function firstMessage(detail) {
  if (!detail) return '';
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return firstMessage(detail[0]);
  if (typeof detail === 'object') return firstMessage(detail[Object.keys(detail)[0]]);
  return String(detail);
}

function errorFrom(res, fallback) {
  const data = res.data || {};
  const first = (data.errors && data.errors[0]) || {};
  const error = new Error(first.message || firstMessage(data.detail) || data.message || fallback || `HTTP ${res.statusCode}`);
  error.statusCode = res.statusCode;
  error.code = first.code || data.code;
  error.data = data;
  return error;
}

function errorCodes(data) {
  return ((data && data.errors) || []).map((e) => e.code);
}

// Forget the tokens and open the login page (the call still fails with the server's message).
function signedOut() {
  clearTokens();
  if (typeof wx.reLaunch === 'function') wx.reLaunch({ url: '/pages/login/login' });
}

async function refresh() {
  const { refresh: refreshToken } = tokens();
  if (!refreshToken) return false;
  const [method, path] = routes.tokenRefresh;
  const res = await rawRequest(method, path, { refresh_token: refreshToken }, {});
  if (res.statusCode !== 200) return false;
  saveTokens(res.data.data);
  return true;
}

// One REST API call: call('requestDetail', { params: { id: 5 } }), call('requestCreate', { body, header }).
// GET sends `query` as the query string (wx.request puts data there). Answers ≥ 400 are thrown.
async function call(name, { params = {}, body, query, header = {} } = {}, retried = false) {
  const route = routes[name];
  if (!route) throw new Error(`unknown route ${name}`);
  const [method, template] = route;
  const headers = Object.assign({}, header);
  const { access } = tokens();
  if (access) headers.Authorization = `Bearer ${access}`;
  const data = method === 'GET' ? query : body;
  const res = await rawRequest(method, fillPath(template, params), data, headers);
  if (res.statusCode === 401 && !retried) {
    if (await refresh()) return call(name, { params, body, query, header }, true);
    if (access) signedOut(); // the sign-in has ended (refresh token expired or revoked): back to the login page
  }
  if (res.statusCode >= 400) throw errorFrom(res);
  return res.data;
}

// One allauth headless call, with the session token of the flow in progress. Answers are returned whatever
// their status: allauth answers 401 for "not signed in yet, this step is pending".
function allauth(name, body, { session = true } = {}) {
  const [method, path] = routes[name];
  const header = {};
  const { session: token } = tokens();
  if (session && token) header['X-Session-Token'] = token;
  return rawRequest(method, path, body, header);
}

// --- signing in and up (allauth headless, docs/sign-in.md) --------------------------------------------

// Sign-in by code, step 1. allauth answers 401 with the pending login_by_code flow and a session token
// whether or not the number has an account (an unknown number is texted "no account yet — sign up").
async function requestCode(phone) {
  clearTokens();
  const res = await allauth('codeRequest', { phone }, { session: false });
  if (res.statusCode !== 401 && res.statusCode !== 200) throw errorFrom(res, '验证码发送失败，请稍后再试');
  saveTokens((res.data && res.data.meta) || {});
  rememberPhone(phone);
}

async function confirmCode(code) {
  const res = await allauth('codeConfirm', { code });
  if (res.statusCode !== 200) throw errorFrom(res, '验证码不正确或已过期');
  saveTokens(res.data.meta);
  return res.data.data.user;
}

// Sign-up by phone code (no password), step 1: allauth makes the resident account and texts a code; it
// answers 401 with the pending verify_phone flow and a session token. A number that already has an
// account gets the same answer (its owner is texted that someone tried), so nothing is given away.
async function signUp(phone) {
  clearTokens();
  const res = await allauth('signUp', { phone }, { session: false });
  if (res.statusCode !== 401 && res.statusCode !== 200) throw errorFrom(res, '注册失败，请稍后再试');
  saveTokens((res.data && res.data.meta) || {});
  rememberPhone(phone);
}

// Sign-up, step 2: the texted code verifies the phone and signs the new resident in (JWT tokens).
async function verifyPhone(code) {
  const res = await allauth('verifyPhone', { code });
  if (res.statusCode !== 200) throw errorFrom(res, '验证码不正确或已过期');
  saveTokens(res.data.meta);
  return res.data.data.user;
}

// Text the sign-up code again (allauth allows one per number per 30 seconds: 429 before that).
async function resendSignUpCode() {
  const res = await allauth('verifyPhoneResend', undefined);
  if (res.statusCode === 429) throw errorFrom(res, '发送过于频繁，请30秒后再试');
  if (res.statusCode !== 200) throw errorFrom(res, '请重新注册');
}

// Sign out: allauth ends the session (and with it the tokens); answered 401 "not signed in" when done.
async function signOut() {
  try {
    await allauth('signOut', undefined);
  } finally {
    clearTokens();
  }
}

// --- WeChat sign-in (docs/sign-in.md) -------------------------------------------------------------------
// The wx.login code goes to allauth's provider/token as provider "wechat_miniprogram". A WeChat identity
// that is not linked yet is answered "not_linked": the person signs in (or up) by phone code once, and
// wechatConnect() then links WeChat with a fresh wx.login code.

function wxLoginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res && res.code ? resolve(res.code) : reject(new Error('微信登录失败'))),
      fail: () => reject(new Error('微信登录失败')),
    });
  });
}

function appId() {
  try {
    return wx.getAccountInfoSync().miniProgram.appId;
  } catch (err) {
    return config.appId;
  }
}

async function wechatToken(process, header) {
  const code = await wxLoginCode();
  const [method, path] = routes.providerToken;
  const body = { provider: 'wechat_miniprogram', process, token: { client_id: appId(), access_token: code } };
  return rawRequest(method, path, body, header);
}

// Silent sign-in with WeChat. Resolves {linked: true, user} when WeChat alone signs the person in,
// {linked: false, reason} when it cannot (not linked yet, or more steps such as staff two-factor).
async function wechatLogin() {
  const res = await wechatToken('login', {});
  if (res.statusCode === 200) {
    clearTokens();
    saveTokens(res.data.meta || {});
    return { linked: true, user: res.data.data.user };
  }
  if (res.statusCode === 400 && errorCodes(res.data).includes('not_linked')) return { linked: false, reason: 'not_linked' };
  if (res.statusCode === 401) return { linked: false, reason: 'more_steps' };
  throw errorFrom(res, '微信登录失败，请使用手机号登录');
}

// Link WeChat to the person signed in (after the phone-code sign-in or sign-up). Refusals (e.g. the WeChat
// account belongs to someone else: code "connected_other") are thrown with the server's message.
async function wechatConnect() {
  const { session } = tokens();
  if (!session) throw new Error('请先登录');
  const res = await wechatToken('connect', { 'X-Session-Token': session });
  if (res.statusCode === 200) return true;
  throw errorFrom(res, '绑定微信失败');
}

// --- the catalogue (anyone) ------------------------------------------------------------------------------

// query: {q, category}
const categories = () => call('categories');
const items = (query) => call('items', { query });
const item = (id) => call('item', { params: { id } });
const guidePrices = (query) => call('guidePrices', { query });

// --- residents ---------------------------------------------------------------------------------------

const myRequests = () => call('requestList');
const requestDetail = (id) => call('requestDetail', { params: { id } });

// fields: {item, description, answers, address, latitude, longitude, as_soon_as_possible, window_start,
// window_end, contact_phone}. The same idempotencyKey on a retry returns the first request, never a second.
function raiseRequest(fields, idempotencyKey) {
  if (!idempotencyKey) throw new Error('missing idempotency key');
  return call('requestCreate', { body: fields, header: { 'Idempotency-Key': idempotencyKey } });
}

const cancelRequest = (id, reason) => call('requestCancel', { params: { id }, body: { reason } });
const paymentStatus = (id) => call('paymentStatus', { params: { id } });

// Pay a completed job with WeChat Pay in the mini program. No openid is sent: the server uses the WeChat
// account this person signed in with (docs/payments.md). The server answers the signed parameters for
// wx.requestPayment; WeChat then tells the server (its notification), so the caller reloads the status.
async function payWithWechat(id) {
  const started = await call('paymentStart', { params: { id }, body: { method: 'wechat_jsapi' } });
  const p = started.client_params || {};
  await new Promise((resolve, reject) => wx.requestPayment({
    timeStamp: p.timeStamp,
    nonceStr: p.nonceStr,
    package: p.package,
    signType: p.signType,
    paySign: p.paySign,
    success: resolve,
    fail: (err) => {
      const cancelled = /cancel/.test((err && err.errMsg) || '');
      reject(Object.assign(new Error(cancelled ? '已取消支付' : '支付未完成'), { code: cancelled ? 'cancelled' : 'failed' }));
    },
  }));
  return started.payment;
}

// scores: {overall, punctuality, attitude, quality} each 1–5, and comment.
const rate = (id, scores) => call('ratingGive', { params: { id }, body: scores });

// complaint: {category, description, evidence_text}; category one of COMPLAINT_CATEGORIES.
const complain = (id, complaint) => call('complaintFile', { params: { id }, body: complaint });

// --- company staff -----------------------------------------------------------------------------------

const offers = () => call('offers');
const acceptOffer = (id) => call('offerAccept', { params: { id } });
const declineOffer = (id, reason) => call('offerDecline', { params: { id }, body: { reason } });
// query: {status}
const jobs = (query) => call('jobs', { query });
const setOff = (id) => call('jobSetOff', { params: { id } });
const arrive = (id) => call('jobArrive', { params: { id } });
// done: {final_price: "80.00" (yuan, at most the contracted price), quantity: "1", note}
const complete = (id, done) => call('jobComplete', { params: { id }, body: done });

module.exports = {
  // helpers (no server call)
  fillPath, tokens, clearTokens, lastPhone, newIdempotencyKey, routes,
  // signing in and up
  requestCode, confirmCode, signUp, verifyPhone, resendSignUpCode, signOut, wechatLogin, wechatConnect,
  // catalogue
  categories, items, item, guidePrices,
  // residents
  myRequests, requestDetail, raiseRequest, cancelRequest, paymentStatus, payWithWechat, rate, complain,
  // company staff
  offers, acceptOffer, declineOffer, jobs, setOff, arrive, complete,
};
