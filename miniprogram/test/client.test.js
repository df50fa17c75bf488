// The API client: bearer token, one refresh on 401, path parameters, the phone-code sign-in.
const storage = {};
const calls = [];
let answers = [];

global.wx = {
  getStorageSync: (k) => storage[k],
  setStorageSync: (k, v) => { storage[k] = v; },
  removeStorageSync: (k) => { delete storage[k]; },
  request: (options) => {
    calls.push(options);
    const answer = answers.shift();
    setTimeout(() => options.success(answer), 0);
  },
};

const api = require('../api/client');

beforeEach(() => {
  calls.length = 0;
  answers = [];
  Object.keys(storage).forEach((k) => delete storage[k]);
});

test('fills path parameters and refuses a missing one', () => {
  expect(api.fillPath('/api/requests/{id}/', { id: 5 })).toBe('/api/requests/5/');
  expect(() => api.fillPath('/api/requests/{id}/', {})).toThrow('missing path parameter id');
});

test('phone sign-in keeps the session token, then the JWT tokens, and API calls send the bearer', async () => {
  answers = [
    { statusCode: 401, data: { meta: { session_token: 'sess' } } },
    { statusCode: 200, data: { data: { user: { id: 1 } }, meta: { access_token: 'acc', refresh_token: 'ref' } } },
    { statusCode: 200, data: { results: [] } },
  ];
  await api.requestCode('+8613900000001');
  const user = await api.confirmCode('123456');
  expect(user).toEqual({ id: 1 });
  expect(calls[1].header['X-Session-Token']).toBe('sess');
  await api.call('requestList');
  expect(calls[2].url).toMatch(/\/api\/requests\/$/);
  expect(calls[2].header.Authorization).toBe('Bearer acc');
});

test('an expired access token is refreshed once and the call repeated', async () => {
  storage.tokens = { access: 'old', refresh: 'ref' };
  answers = [
    { statusCode: 401, data: { detail: 'expired' } },
    { statusCode: 200, data: { data: { access_token: 'new', refresh_token: 'ref2' } } },
    { statusCode: 200, data: { id: 5 } },
  ];
  const data = await api.call('requestDetail', { id: 5 });
  expect(data).toEqual({ id: 5 });
  expect(calls[1].data).toEqual({ refresh_token: 'ref' });
  expect(calls[2].header.Authorization).toBe('Bearer new');
});

test('a refusal surfaces the server detail', async () => {
  storage.tokens = { access: 'acc' };
  answers = [{ statusCode: 400, data: { code: 'request_invalid', detail: '请选择服务地址' } }];
  await expect(api.call('requestCreate', {}, {})).rejects.toThrow('请选择服务地址');
});
