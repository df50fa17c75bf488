// WeChat sign-in in the mini program: the API client's wechatLogin/wechatConnect and the login page,
// rendered offline with miniprogram-simulate. wx.login, wx.request and storage are the platform boundary
// and are stubbed here; the server's side is tested in tests/wechat/.
const path = require('path');
const simulate = require('miniprogram-simulate');

const ROOT = path.join(__dirname, '..');
const storage = {};
const calls = [];
let answers = [];
let loginCodes = [];
const relaunched = [];
const toasts = [];

Object.assign(global.wx, {
  getStorageSync: (k) => storage[k],
  setStorageSync: (k, v) => { storage[k] = v; },
  removeStorageSync: (k) => { delete storage[k]; },
  login: (options) => {
    const code = loginCodes.shift();
    setTimeout(() => (code ? options.success({ code, errMsg: 'login:ok' }) : options.fail({ errMsg: 'login:fail' })), 0);
  },
  getAccountInfoSync: () => ({ miniProgram: { appId: 'wxfedcba0987654321', envVersion: 'release' } }),
  request: (options) => {
    calls.push(options);
    const answer = answers.shift();
    setTimeout(() => options.success(answer), 0);
  },
  reLaunch: (options) => relaunched.push(options.url),
  showToast: (options) => toasts.push(options.title),
});

const api = require('../api/client');

const TOKEN_URL = 'http://127.0.0.1:8000/_allauth/app/v1/auth/provider/token';
const NOT_LINKED = {
  statusCode: 400,
  data: { status: 400, errors: [{ code: 'not_linked', param: 'token', message: '此微信尚未绑定账号' }] },
};
const SIGNED_IN = {
  statusCode: 200,
  data: { status: 200, data: { user: { id: 7 } }, meta: { is_authenticated: true, session_token: 'sess-wx', access_token: 'acc-wx', refresh_token: 'ref-wx' } },
};

beforeEach(() => {
  calls.length = 0;
  relaunched.length = 0;
  toasts.length = 0;
  answers = [];
  loginCodes = [];
  Object.keys(storage).forEach((k) => delete storage[k]);
});

describe('api client', () => {
  test('wechatLogin posts the wx.login code with the running AppID and keeps the tokens', async () => {
    loginCodes = ['0a3Xyz'];
    answers = [SIGNED_IN];
    const result = await api.wechatLogin();
    expect(result).toEqual({ linked: true, user: { id: 7 } });
    expect(calls[0].url).toBe(TOKEN_URL);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].data).toEqual({
      provider: 'wechat_miniprogram', process: 'login', token: { client_id: 'wxfedcba0987654321', access_token: '0a3Xyz' },
    });
    expect(calls[0].header['X-Session-Token']).toBeUndefined();
    expect(api.tokens()).toEqual({ access: 'acc-wx', refresh: 'ref-wx', session: 'sess-wx' });
  });

  test('wechatLogin says "not linked" and keeps no tokens', async () => {
    loginCodes = ['0a3Xyz'];
    answers = [NOT_LINKED];
    expect(await api.wechatLogin()).toEqual({ linked: false, reason: 'not_linked' });
    expect(api.tokens()).toEqual({});
  });

  test('wechatLogin passes on WeChat refusals with the server message', async () => {
    loginCodes = ['used-code'];
    answers = [{ statusCode: 400, data: { errors: [{ code: 'wechat_invalid_code', param: 'token', message: '微信登录凭证无效' }] } }];
    await expect(api.wechatLogin()).rejects.toMatchObject({ message: '微信登录凭证无效', code: 'wechat_invalid_code' });
  });

  test('wechatLogin does not call the server when wx.login fails', async () => {
    await expect(api.wechatLogin()).rejects.toThrow('微信登录失败');
    expect(calls).toHaveLength(0);
  });

  test('wechatConnect sends a fresh code with the session token of the phone sign-in', async () => {
    storage.tokens = { access: 'acc', refresh: 'ref', session: 'sess-phone' };
    loginCodes = ['fresh-code'];
    answers = [{ statusCode: 200, data: { status: 200, data: { user: { id: 7 } }, meta: { is_authenticated: true } } }];
    await expect(api.wechatConnect()).resolves.toBe(true);
    expect(calls[0].data.process).toBe('connect');
    expect(calls[0].data.token.access_token).toBe('fresh-code');
    expect(calls[0].header['X-Session-Token']).toBe('sess-phone');
  });

  test('wechatConnect refuses before any call when nobody is signed in', async () => {
    await expect(api.wechatConnect()).rejects.toThrow('请先登录');
    expect(calls).toHaveLength(0);
  });

  test('wechatConnect reports a WeChat account that belongs to someone else', async () => {
    storage.tokens = { session: 'sess-phone' };
    loginCodes = ['fresh-code'];
    answers = [{ statusCode: 400, data: { errors: [{ code: 'connected_other', message: '该微信已绑定其他账号' }] } }];
    await expect(api.wechatConnect()).rejects.toMatchObject({ code: 'connected_other', message: '该微信已绑定其他账号' });
  });
});

describe('login page', () => {
  // Pages are not components; miniprogram-simulate renders the page's wxml and definition as one.
  global.Page = (definition) => {
    const methods = {};
    Object.keys(definition).forEach((key) => {
      if (typeof definition[key] === 'function') methods[key] = definition[key];
    });
    global.Component({ data: definition.data, methods });
  };
  let pageId;
  function renderPage() {
    if (!pageId) pageId = simulate.load(path.join(ROOT, 'pages', 'login', 'login'), { rootPath: ROOT });
    const page = simulate.render(pageId);
    page.attach(document.createElement('parent'));
    return page;
  }

  test('a linked WeChat account goes straight to the catalogue', async () => {
    const page = renderPage();
    expect(page.querySelector('.checking').dom.textContent).toContain('微信登录');
    expect(page.querySelector('.phone-login')).toBeUndefined();
    loginCodes = ['code-1'];
    answers = [SIGNED_IN];
    await page.instance.onLoad();
    expect(relaunched).toEqual(['/pages/catalogue/catalogue']);
  });

  test('not linked: phone code sign-in, then WeChat is linked with a fresh wx.login code', async () => {
    const page = renderPage();
    loginCodes = ['code-1', 'code-2'];
    answers = [
      NOT_LINKED,
      { statusCode: 401, data: { meta: { session_token: 'sess-phone' } } },
      { statusCode: 200, data: { data: { user: { id: 7 } }, meta: { access_token: 'acc', refresh_token: 'ref' } } },
      { statusCode: 200, data: { status: 200, data: { user: { id: 7 } }, meta: { is_authenticated: true } } },
    ];
    await page.instance.onLoad();
    await simulate.sleep(0);
    expect(page.querySelector('.checking')).toBeUndefined();
    expect(page.querySelector('.notice').dom.textContent).toContain('手机号登录或注册');
    expect(page.querySelector('.phone-login')).toBeDefined();

    await page.instance.onRequestCode({ detail: { phone: '+8613900000001' } });
    await page.instance.onConfirm({ detail: { code: '123456' } });
    expect(calls.map((c) => c.url.replace('http://127.0.0.1:8000', ''))).toEqual([
      '/_allauth/app/v1/auth/provider/token',
      '/_allauth/app/v1/auth/code/request',
      '/_allauth/app/v1/auth/code/confirm',
      '/_allauth/app/v1/auth/provider/token',
    ]);
    expect(calls[3].data.process).toBe('connect');
    expect(calls[3].data.token.access_token).toBe('code-2');
    expect(calls[3].header['X-Session-Token']).toBe('sess-phone');
    expect(relaunched).toEqual(['/pages/catalogue/catalogue']);
    expect(toasts).toEqual([]);
  });

  test('a refused link still signs the person in and says why', async () => {
    const page = renderPage();
    loginCodes = ['code-1', 'code-2'];
    answers = [
      NOT_LINKED,
      { statusCode: 401, data: { meta: { session_token: 'sess-phone' } } },
      { statusCode: 200, data: { data: { user: { id: 7 } }, meta: { access_token: 'acc', refresh_token: 'ref' } } },
      { statusCode: 400, data: { errors: [{ code: 'connected_other', message: '该微信已绑定其他账号' }] } },
    ];
    await page.instance.onLoad();
    await page.instance.onRequestCode({ detail: { phone: '+8613900000001' } });
    await page.instance.onConfirm({ detail: { code: '123456' } });
    expect(toasts).toEqual(['该微信已绑定其他账号']);
    expect(relaunched).toEqual(['/pages/catalogue/catalogue']);
  });

  test('a wrong phone code neither signs in nor links WeChat', async () => {
    const page = renderPage();
    loginCodes = ['code-1', 'code-2'];
    answers = [
      NOT_LINKED,
      { statusCode: 401, data: { meta: { session_token: 'sess-phone' } } },
      { statusCode: 400, data: { errors: [{ code: 'incorrect_code', message: 'Incorrect code.' }] } },
    ];
    await page.instance.onLoad();
    await page.instance.onRequestCode({ detail: { phone: '+8613900000001' } });
    await page.instance.onConfirm({ detail: { code: '000000' } });
    await simulate.sleep(0);
    expect(calls).toHaveLength(3);
    expect(relaunched).toEqual([]);
    expect(page.querySelector('.phone-login')).toBeDefined();
    expect(page.instance.data.error).toBe('验证码不正确或已过期');
  });

  test('WeChat refusing the code shows its reason above the phone sign-in', async () => {
    const page = renderPage();
    loginCodes = ['code-1'];
    answers = [{ statusCode: 400, data: { errors: [{ code: 'wechat_rate_limited', message: '微信登录过于频繁，请稍后再试' }] } }];
    await page.instance.onLoad();
    await simulate.sleep(0);
    expect(page.instance.data.error).toBe('微信登录过于频繁，请稍后再试');
    expect(page.querySelector('.phone-login')).toBeDefined();
  });
});
