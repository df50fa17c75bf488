// Answers the server gives, shaped as openapi.json documents them (the page tests pass them through
// stub.reply(), which checks them against the response schema, so a fixture cannot drift either).
const NOW = '2026-11-23T18:00:00+08:00';
const ITEM = { id: 7, title: '日常保洁', upc: 'JZ-001' };

function requestFields(overrides = {}) {
  return Object.assign({
    id: 5, item: ITEM, description: '厨房和客厅保洁，约两小时', answers: {}, address: '昭阳街道东关社区1号',
    latitude: '27.331000', longitude: '117.490000', region: { code: '350781001', name: '昭阳街道' },
    as_soon_as_possible: true, window_start: null, window_end: null, channel: 'app', public_interest: false,
    status: 'completed', status_label: '已完成', owner_name: null, response_due_at: NOW, completion_due_at: NOW,
    overdue: false, overdue_kind: null, created_at: NOW, accepted_at: NOW, completed_at: NOW, closed_at: null,
    final_price: '80.00', resolution: '',
  }, overrides);
}

// GET /api/requests/{id}/ (ResidentRequestDetail)
function residentRequest(overrides = {}) {
  return requestFields(Object.assign({
    company_id: 11, company_name: '邵武市家政服务有限公司', company_average_rating: null,
    contact_phone: '+8613900000077', history: [],
  }, overrides));
}

// GET /api/company/jobs/ items (CompanyJob) and the job actions' answers (CompanyJobDetail, with history)
function companyJob(overrides = {}) {
  return requestFields(Object.assign({
    status: 'accepted', status_label: '已接单', final_price: null, completed_at: null,
    contact_phone: '+8613900000077', contact_phone_masked: false,
  }, overrides));
}

function companyJobDetail(overrides = {}) {
  return Object.assign(companyJob(overrides), { history: [] });
}

function page(results) {
  return { count: results.length, next: null, previous: null, results };
}

// GET /api/payments/requests/{id}/ (JobPayment)
function jobPayment(overrides = {}) {
  return Object.assign({ request_id: 5, state: 'unpaid', price: '80.00', net_paid: '0.00', paid: null, open: null, refunds: [] },
    overrides);
}

function payment(overrides = {}) {
  return Object.assign({
    id: 21, request_id: 5, reference: 'MS261123A1B2C3D4E5F6', method: 'wechat_jsapi', method_label: '微信支付(小程序)',
    status: 'pending', status_label: '待支付', amount: '80.00', currency: 'CNY', created_at: NOW, paid_at: null,
    confirmed_at: null, flagged: false,
  }, overrides);
}

// POST /api/payments/requests/{id}/ (PaymentStarted): what wx.requestPayment needs, signed by the server.
function paymentStarted() {
  return {
    payment: payment(),
    client_params: {
      appId: 'wxfedcba0987654321', timeStamp: '1795428000', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA', paySign: 'c2lnbmVkLWJ5LXRoZS1zZXJ2ZXI=',
    },
  };
}

// POST /api/requests/{id}/rating/ (ResidentRating)
function rating(scores) {
  return Object.assign({
    id: 31, request_id: 5, item: ITEM, company: { id: 11, legal_name: '邵武市家政服务有限公司' }, comment: '',
    created_at: NOW, updated_at: NOW, editable_until: '2026-11-30',
  }, scores);
}

// POST /api/requests/{id}/complaints/ (Complaint)
function complaint(fields) {
  return Object.assign({
    id: 41, request_id: 5, item: ITEM, company: { id: 11, legal_name: '邵武市家政服务有限公司' }, channel: 'web',
    category_label: '乱收费', evidence_text: '', evidence_file: null, status: 'received', status_label: '已受理',
    decision_reason: '', decided_at: null, company_response: '', company_responded_at: null, created_at: NOW,
    reopen_until: null, prices: null, history: [],
  }, fields);
}

// GET /api/catalogue/items/{id}/ (CatalogueItemDetailOutput)
function catalogueItem(overrides = {}) {
  return Object.assign({
    id: 7, title: '日常保洁', upc: 'JZ-001', description: '', categories: [{ id: 3, name: '家政服务' }], unit: 'hour',
    unit_label: '小时', served_by: 'company', served_by_label: '企业', department: '', booking_questions: [],
    guide_price: { market_price: '100.00', guide_price: '85.00', saving: '15.00', market_source: '市场调查',
      market_surveyed_on: '2026-03-01' },
  }, overrides);
}

// allauth headless answers (allauth-openapi.json)
function pendingFlow(flow, sessionToken) {
  return {
    status: 401,
    data: { flows: [{ id: flow, is_pending: true }] },
    meta: { is_authenticated: false, session_token: sessionToken },
  };
}

function signedIn(userId, tokens) {
  return {
    status: 200,
    data: { user: { id: userId, display: '居民', has_usable_password: false }, methods: [] },
    meta: Object.assign({ is_authenticated: true }, tokens),
  };
}

function allauthError(code, message, param) {
  return { status: 400, errors: [Object.assign({ code, message }, param ? { param } : {})] };
}

module.exports = {
  ITEM, residentRequest, companyJob, companyJobDetail, page, jobPayment, payment, paymentStarted, rating, complaint,
  catalogueItem, pendingFlow, signedIn, allauthError,
};
