// The mini program cannot drift from the server: EVERY function api/client.js exports is called here with a
// stubbed wx.request, and each request it sends (method, URL, headers, body, query) is validated against the
// server's OpenAPI documents — openapi.json for the REST API, allauth-openapi.json for allauth headless
// (tests/miniprogram keeps both copies current). Checked: the path and method exist; path and query
// parameters have the documented types; required headers (Idempotency-Key) are sent; the body has every
// required property, no property the schema does not list, and the documented types and enums.
const stub = require('./support/wx').install();
const api = require('../api/client');
const routes = require('../api/routes');
const { requestProblems, operationOf } = require('./support/openapi');
const F = require('./support/fixtures');

// Exports that send nothing to the server.
const HELPERS = ['fillPath', 'tokens', 'clearTokens', 'lastPhone', 'newIdempotencyKey', 'routes'];

const SIGNED_IN = { access: 'acc', refresh: 'ref', session: 'sess' };
const ok = (data, statusCode = 200) => ({ statusCode, data });
const REQUEST_FIELDS = {
  item: 7, description: '厨房和客厅保洁，约两小时', answers: { area: '80', pets: false }, address: '昭阳街道东关社区1号',
  latitude: '27.331000', longitude: '117.490000', as_soon_as_possible: true, contact_phone: '13900000077',
};
const SCORES = { overall: 5, punctuality: 5, attitude: 4, quality: 5, comment: '准时，干净' };

// How each exported function is called: the tokens stored before, the answers the server gives, and
// what else must hold of what was sent (beyond the schema).
const SAMPLES = {
  requestCode: { tokens: {}, run: () => api.requestCode('+8613900000001'), answers: [ok(F.pendingFlow('login_by_code', 's1'), 401)] },
  confirmCode: {
    tokens: { session: 'sess' }, session: true, run: () => api.confirmCode('123456'),
    answers: [ok(F.signedIn(7, { access_token: 'a', refresh_token: 'r' }))],
  },
  signUp: { tokens: {}, run: () => api.signUp('+8613900000077'), answers: [ok(F.pendingFlow('verify_phone', 's2'), 401)] },
  verifyPhone: {
    tokens: { session: 'sess' }, session: true, run: () => api.verifyPhone('654321'),
    answers: [ok(F.signedIn(8, { access_token: 'a', refresh_token: 'r' }))],
  },
  resendSignUpCode: { tokens: { session: 'sess' }, session: true, run: () => api.resendSignUpCode(), answers: [ok({ status: 200 })] },
  signOut: { tokens: SIGNED_IN, session: true, run: () => api.signOut(), answers: [ok({ status: 401, data: { flows: [] }, meta: { is_authenticated: false } }, 401)] },
  wechatLogin: {
    tokens: {}, loginCodes: ['0a3Xyz'], run: () => api.wechatLogin(),
    answers: [ok(F.signedIn(7, { access_token: 'a', refresh_token: 'r', session_token: 's' }))],
  },
  wechatConnect: { tokens: SIGNED_IN, session: true, loginCodes: ['0b4Xyz'], run: () => api.wechatConnect(), answers: [ok(F.signedIn(7, {}))] },
  categories: { run: () => api.categories(), answers: [ok([])] },
  items: { run: () => api.items({ q: '保洁', category: 3 }), answers: [ok(F.page([]))] },
  item: { run: () => api.item(7), answers: [ok(F.catalogueItem())] },
  guidePrices: { run: () => api.guidePrices({ q: '保洁' }), answers: [ok(F.page([]))] },
  myRequests: { run: () => api.myRequests(), answers: [ok(F.page([]))] },
  requestDetail: { run: () => api.requestDetail(5), answers: [ok(F.residentRequest())] },
  raiseRequest: {
    run: () => api.raiseRequest(REQUEST_FIELDS, 'mp-1700000000000-1a2b3c'), answers: [ok(F.residentRequest(), 201)],
    check: (call) => expect(call.header['Idempotency-Key']).toBe('mp-1700000000000-1a2b3c'),
  },
  cancelRequest: { run: () => api.cancelRequest(5, '不需要了'), answers: [ok(F.residentRequest({ status: 'cancelled' }))] },
  paymentStatus: { run: () => api.paymentStatus(5), answers: [ok(F.jobPayment())] },
  payWithWechat: {
    run: () => api.payWithWechat(5), answers: [ok(F.paymentStarted(), 201)],
    check: (call) => expect(call.data).toEqual({ method: 'wechat_jsapi' }), // no openid: the server knows it
  },
  rate: { run: () => api.rate(5, SCORES), answers: [ok(F.rating(SCORES), 201)] },
  complain: {
    run: () => api.complain(5, { category: 'overcharge', description: '收费高于合同价', evidence_text: '' }),
    answers: [ok(F.complaint({ category: 'overcharge', description: '收费高于合同价' }), 201)],
  },
  offers: { run: () => api.offers(), answers: [ok(F.page([]))] },
  acceptOffer: { run: () => api.acceptOffer(3), answers: [ok(F.companyJobDetail())] },
  declineOffer: { run: () => api.declineOffer(3, '暂无人手'), answers: [ok({})] },
  jobs: { run: () => api.jobs({ status: 'accepted' }), answers: [ok(F.page([]))] },
  setOff: { run: () => api.setOff(5), answers: [ok(F.companyJobDetail({ status: 'on_the_way' }))] },
  arrive: { run: () => api.arrive(5), answers: [ok(F.companyJobDetail({ status: 'in_service' }))] },
  complete: {
    run: () => api.complete(5, { final_price: '80.00', quantity: '1', note: '' }),
    answers: [ok(F.companyJobDetail({ status: 'completed', final_price: '80.00' }))],
  },
};

const exercised = new Set(); // "METHOD /template" of every request the samples sent

async function runSample(sample) {
  stub.reset();
  stub.storage.tokens = sample.tokens === undefined ? SIGNED_IN : sample.tokens;
  stub.answers.push(...sample.answers);
  stub.loginCodes.push(...(sample.loginCodes || []));
  await sample.run();
  stub.calls.forEach((c) => exercised.add(operationOf(c)));
  return stub.calls;
}

test('every exported function that talks to the server has a sample call below', () => {
  const exported = Object.keys(api).filter((name) => !HELPERS.includes(name));
  exported.forEach((name) => expect(typeof api[name]).toBe('function'));
  expect(exported.sort()).toEqual(Object.keys(SAMPLES).sort());
});

describe.each(Object.keys(SAMPLES))('%s', (name) => {
  test('sends what the OpenAPI documents accept', async () => {
    const sample = SAMPLES[name];
    const calls = await runSample(sample);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.flatMap((c) => requestProblems(c))).toEqual([]);
    calls.forEach((call) => {
      const path = call.url.replace(/^https?:\/\/[^/]+/, '');
      if (path.startsWith('/_allauth/')) {
        expect(call.header.Authorization).toBeUndefined();
        if (sample.session) expect(call.header['X-Session-Token']).toBe('sess');
      } else {
        expect(call.header.Authorization).toBe('Bearer acc');
      }
    });
    if (sample.check) sample.check(calls[calls.length - 1]);
  });
});

test('an expired access token is refreshed with the body allauth documents, and the call repeated', async () => {
  stub.reset();
  stub.storage.tokens = { access: 'old', refresh: 'ref' };
  stub.answers.push(ok({ detail: 'expired' }, 401), ok({ status: 200, data: { access_token: 'new', refresh_token: 'ref2' } }),
    ok(F.residentRequest()));
  await api.requestDetail(5);
  stub.calls.forEach((c) => exercised.add(operationOf(c)));
  expect(stub.sent()).toEqual(['GET /api/requests/5/', 'POST /_allauth/app/v1/tokens/refresh', 'GET /api/requests/5/']);
  expect(stub.problems()).toEqual([]);
  expect(stub.calls[2].header.Authorization).toBe('Bearer new');
});

test('every route in routes.js is exercised by some exported function', () => {
  const declared = Object.values(routes).map(([method, path]) => operationOf({ method, url: path }) || `${method} ${path}`);
  expect(declared.filter((op) => !exercised.has(op))).toEqual([]);
});

test('pages and components send nothing except through api/client.js', () => {
  const fs = require('fs');
  const path = require('path');
  const root = path.join(__dirname, '..');
  const offenders = ['pages', 'components'].flatMap((dir) => fs.readdirSync(path.join(root, dir)).flatMap((name) => {
    const file = path.join(root, dir, name, `${name}.js`);
    return fs.existsSync(file) && /wx\.request\s*\(|['"`]\/(api|_allauth)\//.test(fs.readFileSync(file, 'utf8')) ? [`${dir}/${name}`] : [];
  }));
  expect(offenders).toEqual([]);
});

// The validator itself: what the mini program used to send (issue 8) is caught.
describe('the schema check catches the old drift', () => {
  const call = (method, path, data, header = {}) => ({ method, url: `http://127.0.0.1:8000${path}`, data,
    header: Object.assign({ 'content-type': 'application/json' }, header) });

  test('a request raised with product, the key in the body and no contact phone', () => {
    const problems = requestProblems(call('POST', '/api/requests/', {
      product: 7, description: '保洁', address: '东关社区1号', latitude: '27.331000', longitude: '117.490000',
      as_soon_as_possible: true, channel: 'app', idempotency_key: 'mp-1',
    }));
    expect(problems).toEqual(expect.arrayContaining([
      'POST /api/requests/: required header Idempotency-Key is missing',
      "POST /api/requests/: body (body) must have required property 'item'",
      "POST /api/requests/: body (body) must have required property 'contact_phone'",
      'POST /api/requests/: body (body) must NOT have additional properties: product',
      'POST /api/requests/: body (body) must NOT have additional properties: idempotency_key',
    ]));
  });

  test('paying with {provider, channel}', () => {
    const problems = requestProblems(call('POST', '/api/payments/requests/5/', { provider: 'wechat', channel: 'miniprogram' }));
    expect(problems).toContain("POST /api/payments/requests/5/: body (body) must have required property 'method'");
    expect(problems).toContain('POST /api/payments/requests/5/: body (body) must NOT have additional properties: provider');
    expect(requestProblems(call('POST', '/api/payments/requests/5/', { method: 'wechat' })))
      .toContain('POST /api/payments/requests/5/: body /method must be equal to one of the allowed values');
  });

  test('rating with {stars}, complaining with {reason}', () => {
    expect(requestProblems(call('POST', '/api/requests/5/rating/', { stars: 5, comment: '' })))
      .toContain("POST /api/requests/5/rating/: body (body) must have required property 'overall'");
    expect(requestProblems(call('POST', '/api/requests/5/rating/', { overall: '5', punctuality: 5, attitude: 5, quality: 5 })))
      .toContain('POST /api/requests/5/rating/: body /overall must be integer');
    expect(requestProblems(call('POST', '/api/requests/5/complaints/', { reason: '太贵' })))
      .toContain("POST /api/requests/5/complaints/: body (body) must have required property 'category'");
  });

  test('a path the server does not have, a body where none is taken, a wrong query parameter', () => {
    expect(requestProblems(call('POST', '/api/requests/5/pay/', {}))).toEqual([
      'POST /api/requests/5/pay/: no such operation in openapi.json']);
    expect(requestProblems(call('POST', '/api/company/jobs/5/set-off/', { at: 'now' }))).toEqual([
      'POST /api/company/jobs/5/set-off/: sends a body, but the operation takes none']);
    expect(requestProblems(call('GET', '/api/company/jobs/', { state: 'done' }))).toEqual([
      'GET /api/company/jobs/: unknown query parameter state']);
    expect(requestProblems(call('GET', '/api/company/jobs/', { status: 'done' }))[0]).toMatch(/allowed values/);
    expect(requestProblems(call('GET', '/api/requests/abc/'))).toEqual([
      'GET /api/requests/abc/: path parameter id=abc is not an integer']);
  });

  test('allauth: sign-up with a field allauth does not take, a code request with neither phone nor email', () => {
    expect(requestProblems(call('POST', '/_allauth/app/v1/auth/signup', { phone: '+8613900000077', is_staff: true })))
      .toContain('POST /_allauth/app/v1/auth/signup: body (body) must NOT have additional properties: is_staff');
    expect(requestProblems(call('POST', '/_allauth/app/v1/auth/code/request', { mobile: '13900000077' })).length).toBeGreaterThan(0);
    expect(requestProblems(call('POST', '/_allauth/app/v1/auth/provider/token', { provider: 'wechat_miniprogram', process: 'signin', token: { client_id: 'wx' } })))
      .toContain('POST /_allauth/app/v1/auth/provider/token: body /process must be equal to one of the allowed values');
  });
});
