// The API client: wx.request with the JWT access token, one refresh on 401, routes from routes.js.
const routes = require('./routes');
const config = require('../config');

const TOKENS_KEY = 'tokens';

function fillPath(template, params) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (params[name] === undefined) throw new Error(`missing path parameter ${name}`);
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

function rawRequest(method, url, data, header) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.baseUrl + url,
      method,
      data,
      header: Object.assign({ 'content-type': 'application/json' }, header),
      success: (res) => resolve(res),
      fail: (err) => reject(err),
    });
  });
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

// call('requestDetail', { id: 5 }) or call('requestCreate', {}, body)
async function call(name, params = {}, body = undefined, retried = false) {
  const route = routes[name];
  if (!route) throw new Error(`unknown route ${name}`);
  const [method, template] = route;
  const header = {};
  const { access, session } = tokens();
  if (template.startsWith('/_allauth/')) {
    if (session) header['X-Session-Token'] = session;
  } else if (access) {
    header.Authorization = `Bearer ${access}`;
  }
  const res = await rawRequest(method, fillPath(template, params), body, header);
  if (res.statusCode === 401 && !retried && !template.startsWith('/_allauth/') && (await refresh())) {
    return call(name, params, body, true);
  }
  if (res.statusCode >= 400) {
    const error = new Error((res.data && (res.data.detail || res.data.message)) || `HTTP ${res.statusCode}`);
    error.statusCode = res.statusCode;
    error.data = res.data;
    throw error;
  }
  return res.data;
}

// Phone sign-in: the code request answers 401 with a pending flow and a session token.
async function requestCode(phone) {
  clearTokens();
  const [method, path] = routes.codeRequest;
  const res = await rawRequest(method, path, { phone }, {});
  if (res.statusCode !== 401 && res.statusCode !== 200) {
    const error = new Error('could not send the code');
    error.data = res.data;
    throw error;
  }
  saveTokens(res.data.meta || {});
}

async function confirmCode(code) {
  const data = await call('codeConfirm', {}, { code });
  saveTokens(data.meta);
  return data.data.user;
}

// --- WeChat sign-in (docs/sign-in.md) -------------------------------------------------------------------
// The wx.login code goes to allauth's provider/token as provider "wechat_miniprogram". A WeChat identity
// that is not linked yet is answered "not_linked": the person signs in by phone code once, and
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

// allauth answers {errors: [{code, message, param}]}; the REST API {code, detail}.
function errorCodes(data) {
  return ((data && data.errors) || []).map((e) => e.code);
}

function errorFrom(res, fallback) {
  const data = res.data || {};
  const first = (data.errors && data.errors[0]) || {};
  const error = new Error(first.message || data.detail || fallback);
  error.statusCode = res.statusCode;
  error.code = first.code || data.code;
  error.data = data;
  return error;
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

// Link WeChat to the person signed in (after the phone-code sign-in). Refusals (e.g. the WeChat account
// belongs to someone else: code "connected_other") are thrown with the server's message.
async function wechatConnect() {
  const { session } = tokens();
  if (!session) throw new Error('请先登录');
  const res = await wechatToken('connect', { 'X-Session-Token': session });
  if (res.statusCode === 200) return true;
  throw errorFrom(res, '绑定微信失败');
}

module.exports = {
  call, requestCode, confirmCode, wechatLogin, wechatConnect, fillPath, clearTokens, tokens, routes,
};
