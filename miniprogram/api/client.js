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

module.exports = { call, requestCode, confirmCode, fillPath, clearTokens, tokens, routes };
