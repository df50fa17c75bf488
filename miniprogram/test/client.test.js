// The API client's plumbing: bearer token, one refresh on 401, path parameters, the phone-code sign-in, the
// server's refusals as errors. (test/api-contract.test.js checks every request against the schemas.)
const stub = require('./support/wx').install();
const api = require('../api/client');

beforeEach(() => stub.reset());

test('fills path parameters and refuses a missing one', () => {
  expect(api.fillPath('/api/requests/{id}/', { id: 5 })).toBe('/api/requests/5/');
  expect(() => api.fillPath('/api/requests/{id}/', {})).toThrow('missing path parameter id');
  expect(() => api.fillPath('/api/requests/{id}/', { id: '' })).toThrow('missing path parameter id');
});

test('phone sign-in keeps the session token, then the JWT tokens, and API calls send the bearer', async () => {
  stub.answers.push(
    { statusCode: 401, data: { meta: { session_token: 'sess' } } },
    { statusCode: 200, data: { data: { user: { id: 1 } }, meta: { access_token: 'acc', refresh_token: 'ref' } } },
    { statusCode: 200, data: { results: [] } },
  );
  await api.requestCode('+8613900000001');
  const user = await api.confirmCode('123456');
  expect(user).toEqual({ id: 1 });
  expect(stub.calls[1].header['X-Session-Token']).toBe('sess');
  await api.myRequests();
  expect(stub.calls[2].url).toMatch(/\/api\/requests\/$/);
  expect(stub.calls[2].header.Authorization).toBe('Bearer acc');
  expect(api.lastPhone()).toBe('13900000001'); // the request form offers it as the contact phone
});

test('an expired access token is refreshed once and the call repeated', async () => {
  stub.storage.tokens = { access: 'old', refresh: 'ref' };
  stub.answers.push(
    { statusCode: 401, data: { detail: 'expired' } },
    { statusCode: 200, data: { data: { access_token: 'new', refresh_token: 'ref2' } } },
    { statusCode: 200, data: { id: 5 } },
  );
  expect(await api.requestDetail(5)).toEqual({ id: 5 });
  expect(stub.calls[1].data).toEqual({ refresh_token: 'ref' });
  expect(stub.calls[2].header.Authorization).toBe('Bearer new');
});

test('a refresh that fails surfaces the 401 and does not loop', async () => {
  stub.storage.tokens = { access: 'old', refresh: 'revoked' };
  stub.answers.push({ statusCode: 401, data: { detail: '令牌已失效' } }, { statusCode: 401, data: { status: 401 } });
  await expect(api.requestDetail(5)).rejects.toMatchObject({ statusCode: 401, message: '令牌已失效' });
  expect(stub.calls).toHaveLength(2);
  // The sign-in is over: the tokens are forgotten and the login page opens.
  expect(api.tokens().access).toBeUndefined();
  expect(stub.relaunched).toEqual(['/pages/login/login']);
});

test('a 401 that a fresh token does not cure is not a sign-out (e.g. staff without a second factor)', async () => {
  stub.storage.tokens = { access: 'old', refresh: 'ref' };
  stub.answers.push(
    { statusCode: 401, data: { detail: '员工账户须先设置双重验证。' } },
    { statusCode: 200, data: { data: { access_token: 'new', refresh_token: 'ref2' } } },
    { statusCode: 401, data: { detail: '员工账户须先设置双重验证。' } },
  );
  await expect(api.requestDetail(5)).rejects.toMatchObject({ statusCode: 401 });
  expect(stub.relaunched).toEqual([]);
  expect(api.tokens().access).toBe('new');
});

test('a refusal surfaces the server detail and code', async () => {
  stub.storage.tokens = { access: 'acc' };
  stub.answers.push({ statusCode: 400, data: { code: 'request_invalid', detail: '请选择服务地址' } });
  await expect(api.raiseRequest({}, 'k-1')).rejects.toMatchObject({ message: '请选择服务地址', code: 'request_invalid' });
});

test('a form the server did not accept surfaces its first field message', async () => {
  stub.storage.tokens = { access: 'acc' };
  stub.answers.push({ statusCode: 400, data: { code: 'invalid', detail: { contact_phone: ['该字段是必填项。'] } } });
  await expect(api.raiseRequest({}, 'k-1')).rejects.toThrow('该字段是必填项。');
});

test('raising a request without an idempotency key is refused before anything is sent', () => {
  expect(() => api.raiseRequest({ item: 7 })).toThrow('missing idempotency key');
  expect(stub.calls).toHaveLength(0);
});

test('each idempotency key is new and fits the server (at most 64 characters)', () => {
  const keys = new Set(Array.from({ length: 50 }, () => api.newIdempotencyKey()));
  expect(keys.size).toBe(50);
  keys.forEach((key) => expect(key.length).toBeLessThanOrEqual(64));
});

test('sign-up keeps the pending session token; the texted code gives the JWT tokens', async () => {
  stub.answers.push(
    { statusCode: 401, data: { status: 401, data: { flows: [{ id: 'verify_phone', is_pending: true }] }, meta: { session_token: 'sess-up' } } },
    { statusCode: 200, data: { data: { user: { id: 8 } }, meta: { access_token: 'acc', refresh_token: 'ref', session_token: 'sess-up' } } },
  );
  await api.signUp('+8613900000077');
  const user = await api.verifyPhone('654321');
  expect(user).toEqual({ id: 8 });
  expect(stub.calls[0].data).toEqual({ phone: '+8613900000077' });
  expect(stub.calls[0].header['X-Session-Token']).toBeUndefined();
  expect(stub.calls[1].header['X-Session-Token']).toBe('sess-up');
  expect(api.tokens()).toEqual({ access: 'acc', refresh: 'ref', session: 'sess-up' });
});

test('sign-up refusals carry allauth\'s message and code', async () => {
  stub.answers.push({ statusCode: 400, data: { status: 400, errors: [{ code: 'invalid_phone', param: 'phone', message: '请输入手机号码' }] } });
  await expect(api.signUp('+86123')).rejects.toMatchObject({ message: '请输入手机号码', code: 'invalid_phone' });
  expect(api.tokens()).toEqual({});
});

test('resending the sign-up code too soon says to wait', async () => {
  stub.storage.tokens = { session: 'sess-up' };
  stub.answers.push({ statusCode: 429, data: { status: 429 } });
  await expect(api.resendSignUpCode()).rejects.toThrow('发送过于频繁，请30秒后再试');
});

test('signing out forgets the tokens even when the server cannot be reached', async () => {
  stub.storage.tokens = { access: 'acc', refresh: 'ref', session: 'sess' };
  await expect(api.signOut()).rejects.toThrow('网络连接失败');
  expect(api.tokens()).toEqual({});
});
