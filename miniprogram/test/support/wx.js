// The platform boundary, stubbed: wx.request (captured, answered from a queue), storage, wx.login,
// wx.requestPayment, navigation and toasts. Our own code (api/client.js, pages, components) runs for real.
//
//   const stub = require('./support/wx').install();   // before requiring api/client or loading pages
//   stub.answers.push(stub.reply('GET', '/api/requests/5/', 200, body));  // checked against the schema
//   ... run the page ...
//   expect(stub.problems()).toEqual([]);  // every request sent, validated against the OpenAPI documents
const { requestProblems, responseProblems } = require('./openapi');

function install() {
  const stub = {
    storage: {},
    calls: [], // wx.request options, in order
    answers: [], // {statusCode, data}, or a function(options) returning one
    loginCodes: [],
    payments: [], // wx.requestPayment options
    paymentResult: { ok: true }, // or {ok: false, errMsg: 'requestPayment:fail cancel'}
    relaunched: [],
    navigated: [],
    redirected: [],
    toasts: [],
    fixtureProblems: [],

    reset() {
      this.calls.length = 0;
      this.answers.length = 0;
      this.loginCodes.length = 0;
      this.payments.length = 0;
      this.paymentResult = { ok: true };
      this.relaunched.length = 0;
      this.navigated.length = 0;
      this.redirected.length = 0;
      this.toasts.length = 0;
      this.fixtureProblems.length = 0;
      Object.keys(this.storage).forEach((k) => delete this.storage[k]);
    },

    // An answer the server documents: its body is checked against the operation's response schema.
    reply(method, path, statusCode, data) {
      this.fixtureProblems.push(...responseProblems(method, path, statusCode, data));
      return { statusCode, data };
    },

    // Every request sent so far, checked against the OpenAPI documents; and every reply() fixture.
    problems() {
      return this.calls.flatMap((c) => requestProblems(c)).concat(this.fixtureProblems);
    },

    // "METHOD /path" of each request, without the base URL.
    sent() {
      return this.calls.map((c) => `${c.method} ${c.url.replace(/^https?:\/\/[^/]+/, '')}`);
    },
  };

  const api = {
    getStorageSync: (k) => stub.storage[k],
    setStorageSync: (k, v) => { stub.storage[k] = v; },
    removeStorageSync: (k) => { delete stub.storage[k]; },
    request: (options) => {
      stub.calls.push(options);
      let answer = stub.answers.shift();
      if (typeof answer === 'function') answer = answer(options);
      setTimeout(() => (answer ? options.success(answer) : options.fail({ errMsg: 'request:fail no answer stubbed' })), 0);
    },
    login: (options) => {
      const code = stub.loginCodes.shift();
      setTimeout(() => (code ? options.success({ code, errMsg: 'login:ok' }) : options.fail({ errMsg: 'login:fail' })), 0);
    },
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wxfedcba0987654321', envVersion: 'release' } }),
    requestPayment: (options) => {
      stub.payments.push(options);
      const result = stub.paymentResult;
      setTimeout(() => (result.ok ? options.success({ errMsg: 'requestPayment:ok' }) : options.fail({ errMsg: result.errMsg })), 0);
    },
    reLaunch: (options) => stub.relaunched.push(options.url),
    navigateTo: (options) => stub.navigated.push(options.url),
    redirectTo: (options) => stub.redirected.push(options.url),
    showToast: (options) => stub.toasts.push(options.title),
    chooseLocation: (options) => setTimeout(() => options.success(stub.location), 0),
  };
  global.wx = Object.assign(global.wx || {}, api);
  return stub;
}

module.exports = { install };
