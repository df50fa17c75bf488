// The pages whose calls issue 8 fixed, rendered offline with miniprogram-simulate: request-new, request-detail
// (pay, rate, complain), the login page's sign-up by phone code, and company jobs. wx.* is the platform
// boundary and is stubbed (test/support/wx.js); every request a page sends is validated against the
// OpenAPI documents, and every answer fed back is one the server documents (stub.reply).
const stub = require('./support/wx').install();
const { renderPage, text, simulate } = require('./support/page');
const F = require('./support/fixtures');

const SIGNED_IN = { access: 'acc', refresh: 'ref', session: 'sess' };

beforeEach(() => {
  stub.reset();
  stub.storage.tokens = SIGNED_IN;
});
afterEach(() => expect(stub.problems()).toEqual([]));

const body = (i) => stub.calls[i].data;

describe('request-new', () => {
  function open(item = F.catalogueItem()) {
    const page = renderPage('request-new');
    stub.answers.push(stub.reply('GET', '/api/catalogue/items/7/', 200, item));
    return page.instance.onLoad({ item: '7' }).then(() => page);
  }
  async function fill(page) {
    page.instance.onDescription({ detail: { value: '厨房和客厅保洁，约两小时' } });
    stub.location = { name: '东关社区', address: '昭阳街道东关社区1号', latitude: 27.331, longitude: 117.49 };
    page.instance.chooseLocation();
    await simulate.sleep(0);
  }

  test('raises the request with item, place, contact phone and the Idempotency-Key header', async () => {
    stub.storage.phone = '+8613900000077'; // the number the resident signed in with
    const page = await open();
    expect(text(page, '.title')).toBe('日常保洁');
    expect(text(page, '.guide')).toBe('指导价 ¥85.00');
    expect(page.instance.data.contactPhone).toBe('13900000077');
    await fill(page);
    stub.answers.push(stub.reply('POST', '/api/requests/', 201, F.residentRequest({ id: 42, status: 'submitted' })));
    await page.instance.submit();

    expect(stub.sent()).toEqual(['GET /api/catalogue/items/7/', 'POST /api/requests/']);
    expect(body(1)).toEqual({
      item: 7, description: '厨房和客厅保洁，约两小时', answers: {}, address: '昭阳街道东关社区1号',
      latitude: '27.331000', longitude: '117.490000', as_soon_as_possible: true, contact_phone: '13900000077',
    });
    expect(stub.calls[1].header['Idempotency-Key']).toMatch(/^mp-\d+-[0-9a-f]+$/);
    expect(stub.redirected).toEqual(['/pages/request-detail/request-detail?id=42']);
  });

  test('a retry after a lost connection sends the same key, so the server raises one request', async () => {
    stub.storage.phone = '+8613900000077';
    const page = await open();
    await fill(page);
    stub.answers.push(null); // no answer: the connection dropped
    await page.instance.submit();
    expect(page.instance.data.error).toContain('网络连接失败');
    stub.answers.push(stub.reply('POST', '/api/requests/', 200, F.residentRequest({ id: 42 }))); // 200: the first one
    await page.instance.submit();
    expect(stub.calls[2].header['Idempotency-Key']).toBe(stub.calls[1].header['Idempotency-Key']);
    expect(stub.redirected).toEqual(['/pages/request-detail/request-detail?id=42']);
  });

  test('booking questions are answered by code', async () => {
    const page = await open(F.catalogueItem({
      booking_questions: [{ code: 'area', name: '面积', type: 'integer', required: true, options: [] }],
    }));
    await fill(page);
    page.instance.onContactPhone({ detail: { value: '0599-6123456' } });
    page.instance.onAnswers({ detail: { answers: { area: '80' } } });
    stub.answers.push(stub.reply('POST', '/api/requests/', 201, F.residentRequest({ id: 43 })));
    await page.instance.submit();
    expect(body(1).answers).toEqual({ area: '80' });
    expect(body(1).contact_phone).toBe('0599-6123456');
  });

  test('nothing is sent without a place or a contact phone; the server\'s refusal is shown', async () => {
    const page = await open();
    page.instance.onDescription({ detail: { value: '保洁' } });
    await page.instance.submit();
    expect(text(page, '.error')).toBe('请选择服务地址');
    await fill(page);
    await page.instance.submit();
    expect(text(page, '.error')).toBe('请填写联系电话');
    expect(stub.sent()).toEqual(['GET /api/catalogue/items/7/']);

    page.instance.onContactPhone({ detail: { value: '13900000077' } });
    stub.answers.push(stub.reply('POST', '/api/requests/', 400, { code: 'answer_missing', detail: '请回答“面积”。' }));
    await page.instance.submit();
    expect(text(page, '.error')).toBe('请回答“面积”。');
    expect(page.instance.data.busy).toBe(false);
  });
});

describe('request-detail', () => {
  async function open(request = F.residentRequest(), payment = F.jobPayment()) {
    const page = renderPage('request-detail');
    stub.answers.push(stub.reply('GET', '/api/requests/5/', 200, request));
    if (request.company_id !== null && ['completed', 'closed'].includes(request.status)) {
      stub.answers.push(stub.reply('GET', '/api/payments/requests/5/', 200, payment));
    }
    await page.instance.onLoad({ id: '5' });
    return page;
  }

  test('pays with WeChat: starts a wechat_jsapi payment, hands the signed parameters to wx.requestPayment', async () => {
    const page = await open();
    expect(text(page, '.price')).toBe('费用 ¥80.00');
    expect(text(page, '.payment-state')).toBe('未支付');
    const started = F.paymentStarted();
    stub.answers.push(
      stub.reply('POST', '/api/payments/requests/5/', 201, started),
      stub.reply('GET', '/api/requests/5/', 200, F.residentRequest()),
      stub.reply('GET', '/api/payments/requests/5/', 200, F.jobPayment({ state: 'paid', net_paid: '80.00',
        paid: F.payment({ status: 'paid', status_label: '已支付', paid_at: '2026-11-23T18:05:00+08:00' }) })),
    );
    await page.instance.pay();

    expect(body(2)).toEqual({ method: 'wechat_jsapi' }); // no openid: the server uses the linked WeChat account
    const { timeStamp, nonceStr, package: pkg, signType, paySign } = stub.payments[0];
    expect({ timeStamp, nonceStr, package: pkg, signType, paySign }).toEqual({
      timeStamp: started.client_params.timeStamp, nonceStr: started.client_params.nonceStr,
      package: started.client_params.package, signType: 'RSA', paySign: started.client_params.paySign,
    });
    expect(text(page, '.payment-state')).toBe('已支付');
    expect(page.querySelector('.pay')).toBeUndefined();
  });

  test('a payment the resident cancels in WeChat says so and can be tried again', async () => {
    const page = await open();
    stub.paymentResult = { ok: false, errMsg: 'requestPayment:fail cancel' };
    stub.answers.push(
      stub.reply('POST', '/api/payments/requests/5/', 201, F.paymentStarted()),
      stub.reply('GET', '/api/requests/5/', 200, F.residentRequest()),
      stub.reply('GET', '/api/payments/requests/5/', 200, F.jobPayment({ state: 'pending', open: F.payment() })),
    );
    await page.instance.pay();
    expect(text(page, '.error')).toBe('已取消支付');
    expect(page.querySelector('.pay')).toBeDefined();
  });

  test('no WeChat linked yet: links the WeChat running the mini program, then pays with it', async () => {
    const page = await open();
    stub.loginCodes.push('code-pay');
    stub.answers.push(
      stub.reply('POST', '/api/payments/requests/5/', 400, { code: 'openid_required', detail: '请先使用微信登录小程序' }),
      stub.reply('POST', '/_allauth/app/v1/auth/provider/token', 200, F.signedIn(8, {})),
      stub.reply('POST', '/api/payments/requests/5/', 201, F.paymentStarted()),
      stub.reply('GET', '/api/requests/5/', 200, F.residentRequest()),
      stub.reply('GET', '/api/payments/requests/5/', 200, F.jobPayment({ state: 'pending', open: F.payment() })),
    );
    await page.instance.pay();
    expect(stub.sent().slice(2, 5)).toEqual([
      'POST /api/payments/requests/5/', 'POST /_allauth/app/v1/auth/provider/token', 'POST /api/payments/requests/5/']);
    expect(body(3)).toMatchObject({ process: 'connect', token: { access_token: 'code-pay' } });
    expect(stub.calls[3].header['X-Session-Token']).toBe('sess');
    expect(stub.payments).toHaveLength(1);
    expect(text(page, '.notice')).toBe('支付成功，正在确认');
  });

  test('a WeChat account that belongs to someone else is not used to pay, and the page says why', async () => {
    const page = await open();
    stub.loginCodes.push('code-pay');
    stub.answers.push(
      stub.reply('POST', '/api/payments/requests/5/', 400, { code: 'openid_required', detail: '请先使用微信登录小程序' }),
      stub.reply('POST', '/_allauth/app/v1/auth/provider/token', 400, F.allauthError('connected_other', '该微信已绑定其他账号')),
      stub.reply('GET', '/api/requests/5/', 200, F.residentRequest()),
      stub.reply('GET', '/api/payments/requests/5/', 200, F.jobPayment()),
    );
    await page.instance.pay();
    expect(stub.payments).toEqual([]);
    expect(text(page, '.error')).toBe('该微信已绑定其他账号');
  });

  test('rates with overall, punctuality, attitude, quality and a comment', async () => {
    const page = await open();
    const scores = { overall: 5, punctuality: 4, attitude: 5, quality: 4, comment: '准时，干净' };
    stub.answers.push(stub.reply('POST', '/api/requests/5/rating/', 201, F.rating(scores)));
    await page.instance.onRate({ detail: scores });
    expect(stub.sent()[2]).toBe('POST /api/requests/5/rating/');
    expect(body(2)).toEqual(scores);
    expect(text(page, '.rated')).toBe('已评价');
  });

  test('complains with a category and a description', async () => {
    const page = await open();
    const complaint = { category: 'overcharge', description: '多收了20元', evidence_text: '' };
    stub.answers.push(stub.reply('POST', '/api/requests/5/complaints/', 201, F.complaint(complaint)));
    await page.instance.onComplain({ detail: complaint });
    expect(body(2)).toEqual(complaint);
    expect(text(page, '.complained')).toBe('已投诉');
  });

  test('a job still under way can be complained about, not paid or rated', async () => {
    const page = await open(F.residentRequest({ status: 'on_the_way', status_label: '前往途中', final_price: null, completed_at: null }));
    expect(stub.sent()).toEqual(['GET /api/requests/5/']);
    expect(page.querySelector('.pay')).toBeUndefined();
    expect(page.querySelector('.rating')).toBeUndefined();
    expect(page.querySelector('.complaint')).toBeDefined();
  });
});

describe('login: sign-up by phone code', () => {
  const NOT_LINKED = { code: 'not_linked', message: '此微信尚未绑定账号', param: 'token' };

  async function open() {
    stub.storage.tokens = undefined;
    const page = renderPage('login');
    stub.loginCodes.push('code-1', 'code-2');
    stub.answers.push(stub.reply('POST', '/_allauth/app/v1/auth/provider/token', 400, F.allauthError(NOT_LINKED.code, NOT_LINKED.message, 'token')));
    await page.instance.onLoad();
    return page;
  }

  test('a new number: sign-up → texted code → tokens, then WeChat is linked', async () => {
    const page = await open();
    page.querySelector('.switch-mode').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(text(page, '.mode-title')).toContain('新用户注册');
    expect(text(page, '.phone-login', '.send')).toBe('获取验证码');
    expect(text(page, '.phone-login', '.confirm')).toBeUndefined(); // no code field before a code was sent

    stub.answers.push(stub.reply('POST', '/_allauth/app/v1/auth/signup', 401, F.pendingFlow('verify_phone', 'sess-up')));
    await page.instance.onRequestCode({ detail: { phone: '+8613900000077' } });
    expect(text(page, '.hint')).toContain('如果该号码已经注册');
    expect(text(page, '.phone-login', '.confirm')).toBe('注册并登录');

    stub.answers.push(
      stub.reply('POST', '/_allauth/app/v1/auth/phone/verify', 200, F.signedIn(8, { access_token: 'acc', refresh_token: 'ref', session_token: 'sess-up' })),
      stub.reply('POST', '/_allauth/app/v1/auth/provider/token', 200, F.signedIn(8, {})),
    );
    await page.instance.onConfirm({ detail: { code: '654321' } });

    expect(stub.sent().map((s) => s.replace('POST ', ''))).toEqual([
      '/_allauth/app/v1/auth/provider/token', '/_allauth/app/v1/auth/signup', '/_allauth/app/v1/auth/phone/verify',
      '/_allauth/app/v1/auth/provider/token',
    ]);
    expect(body(1)).toEqual({ phone: '+8613900000077' });
    expect(body(2)).toEqual({ code: '654321' });
    expect(stub.calls[2].header['X-Session-Token']).toBe('sess-up');
    expect(body(3)).toMatchObject({ process: 'connect', token: { access_token: 'code-2' } });
    expect(stub.storage.tokens).toMatchObject({ access: 'acc', refresh: 'ref' });
    expect(stub.relaunched).toEqual(['/pages/catalogue/catalogue']);
  });

  test('asking again for the same number resends the code instead of signing up twice', async () => {
    const page = await open();
    page.instance.onSwitchMode();
    stub.answers.push(
      stub.reply('POST', '/_allauth/app/v1/auth/signup', 401, F.pendingFlow('verify_phone', 'sess-up')),
      stub.reply('POST', '/_allauth/app/v1/auth/phone/verify/resend', 429, { status: 429, errors: [{ code: 'too_many', message: '发送过于频繁，请稍后再试' }] }),
    );
    await page.instance.onRequestCode({ detail: { phone: '+8613900000077' } });
    await page.instance.onRequestCode({ detail: { phone: '+8613900000077' } });
    expect(stub.sent()[2]).toBe('POST /_allauth/app/v1/auth/phone/verify/resend');
    expect(stub.calls[2].header['X-Session-Token']).toBe('sess-up');
    expect(text(page, '.phone-login', '.error')).toBe('发送过于频繁，请稍后再试');
  });

  test('a number allauth refuses is explained with its message; a wrong code signs nobody in', async () => {
    const page = await open();
    page.instance.onSwitchMode();
    stub.answers.push(stub.reply('POST', '/_allauth/app/v1/auth/signup', 400,
      F.allauthError('invalid_phone', '请输入手机号码：11位数字，如 13900000001', 'phone')));
    await page.instance.onRequestCode({ detail: { phone: '+8612345678901' } });
    expect(page.instance.data.error).toContain('11位数字');
    expect(page.instance.data.sent).toBe(false);

    stub.answers.push(
      stub.reply('POST', '/_allauth/app/v1/auth/signup', 401, F.pendingFlow('verify_phone', 'sess-up')),
      stub.reply('POST', '/_allauth/app/v1/auth/phone/verify', 400, F.allauthError('incorrect_code', '验证码错误', 'code')),
    );
    await page.instance.onRequestCode({ detail: { phone: '+8613900000077' } });
    await page.instance.onConfirm({ detail: { code: '000000' } });
    expect(page.instance.data.error).toBe('验证码不正确或已过期');
    expect(stub.relaunched).toEqual([]);
    expect(stub.storage.tokens).toEqual({ access: undefined, refresh: undefined, session: 'sess-up' });
  });

  test('signing in by code tells a person without an account to sign up', async () => {
    const page = await open();
    stub.answers.push(stub.reply('POST', '/_allauth/app/v1/auth/code/request', 401, F.pendingFlow('login_by_code', 'sess-in')));
    await page.instance.onRequestCode({ detail: { phone: '+8613900000099' } });
    expect(text(page, '.hint')).toContain('新用户注册');
  });
});

describe('company-jobs', () => {
  async function open(jobs) {
    const page = renderPage('company-jobs');
    stub.answers.push(stub.reply('GET', '/api/company/jobs/', 200, F.page(jobs)));
    await page.instance.onShow();
    return page;
  }

  test('lists the jobs and takes one through set off, arrive and complete with the final price', async () => {
    const page = await open([F.companyJob({ status: 'accepted' })]);
    expect(text(page, '.job', '.title')).toContain('日常保洁');

    stub.answers.push(
      stub.reply('POST', '/api/company/jobs/5/set-off/', 200, F.companyJobDetail({ status: 'on_the_way' })),
      stub.reply('GET', '/api/company/jobs/', 200, F.page([F.companyJob({ status: 'on_the_way' })])),
    );
    // The tap on the card reaches the page's handler (bind:setoff); wait for what the handler started.
    const handler = page.instance.onSetOff;
    let handled;
    page.instance.onSetOff = function onSetOff(e) { handled = handler.call(this, e); return handled; };
    page.querySelector('.job').querySelector('.set-off').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(handled).toBeDefined();
    await handled;
    expect(page.querySelector('.job').querySelector('.arrive')).toBeDefined();

    stub.answers.push(
      stub.reply('POST', '/api/company/jobs/5/arrive/', 200, F.companyJobDetail({ status: 'in_service' })),
      stub.reply('GET', '/api/company/jobs/', 200, F.page([F.companyJob({ status: 'in_service' })])),
    );
    await page.instance.onArrive({ detail: { id: 5 } });

    stub.answers.push(
      stub.reply('POST', '/api/company/jobs/5/complete/', 200, F.companyJobDetail({ status: 'completed', final_price: '80.00' })),
      stub.reply('GET', '/api/company/jobs/', 200, F.page([F.companyJob({ status: 'completed', final_price: '80.00' })])),
    );
    await page.instance.onComplete({ detail: { id: 5, final_price: '80.00', quantity: '1' } });

    expect(stub.sent()).toEqual([
      'GET /api/company/jobs/', 'POST /api/company/jobs/5/set-off/', 'GET /api/company/jobs/',
      'POST /api/company/jobs/5/arrive/', 'GET /api/company/jobs/', 'POST /api/company/jobs/5/complete/',
      'GET /api/company/jobs/',
    ]);
    expect(body(1)).toBeUndefined();
    expect(body(5)).toEqual({ final_price: '80.00', quantity: '1' });
    expect(text(page, '.job', '.price')).toBe('实收 ¥80.00');
    expect(stub.toasts).toEqual(['已出发', '已到达', '服务已完成']);
  });

  test('a final price above the contracted one is refused by the server, and the page says why', async () => {
    const page = await open([F.companyJob({ status: 'in_service' })]);
    stub.answers.push(
      stub.reply('POST', '/api/company/jobs/5/complete/', 400, { code: 'final_price_above_contract', detail: '实际收费不能高于合同价 ¥80.00' }),
      stub.reply('GET', '/api/company/jobs/', 200, F.page([F.companyJob({ status: 'in_service' })])),
    );
    await page.instance.onComplete({ detail: { id: 5, final_price: '80.01', quantity: '1' } });
    expect(text(page, '.error')).toBe('实际收费不能高于合同价 ¥80.00');
    expect(stub.toasts).toEqual([]);
  });

  test('a resident (no company) is told the page is for company staff', async () => {
    const page = renderPage('company-jobs');
    stub.answers.push({ statusCode: 403, data: { detail: 'You do not have permission to perform this action.' } });
    await page.instance.onShow();
    expect(text(page, '.error')).toBe('仅企业员工可用');
  });
});
