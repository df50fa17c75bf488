// Every server call the mini program makes: [method, path]. tests/miniprogram checks each one against the
// server's OpenAPI schemas and test/api-contract.test.js checks what api/client.js sends on each (body,
// headers, query) against the same schemas, so keep one route per line in exactly this form.
module.exports = {
  // allauth headless (app client): phone + SMS code sign-in, sign-up by phone code, JWT tokens
  codeRequest: ['POST', '/_allauth/app/v1/auth/code/request'],
  codeConfirm: ['POST', '/_allauth/app/v1/auth/code/confirm'],
  signUp: ['POST', '/_allauth/app/v1/auth/signup'],
  verifyPhone: ['POST', '/_allauth/app/v1/auth/phone/verify'],
  verifyPhoneResend: ['POST', '/_allauth/app/v1/auth/phone/verify/resend'],
  tokenRefresh: ['POST', '/_allauth/app/v1/tokens/refresh'],
  signOut: ['DELETE', '/_allauth/app/v1/auth/session'],
  // allauth headless: WeChat sign-in with the wx.login code (provider wechat_miniprogram), login or connect
  providerToken: ['POST', '/_allauth/app/v1/auth/provider/token'],
  // residents
  categories: ['GET', '/api/catalogue/categories/'],
  items: ['GET', '/api/catalogue/items/'],
  item: ['GET', '/api/catalogue/items/{id}/'],
  guidePrices: ['GET', '/api/guide-prices/'],
  requestList: ['GET', '/api/requests/'],
  requestCreate: ['POST', '/api/requests/'],
  requestDetail: ['GET', '/api/requests/{id}/'],
  requestCancel: ['POST', '/api/requests/{id}/cancel/'],
  paymentStatus: ['GET', '/api/payments/requests/{id}/'],
  paymentStart: ['POST', '/api/payments/requests/{id}/'],
  ratingGive: ['POST', '/api/requests/{id}/rating/'],
  complaintFile: ['POST', '/api/requests/{id}/complaints/'],
  // company staff
  offers: ['GET', '/api/company/offers/'],
  offerAccept: ['POST', '/api/company/offers/{id}/accept/'],
  offerDecline: ['POST', '/api/company/offers/{id}/decline/'],
  jobs: ['GET', '/api/company/jobs/'],
  jobSetOff: ['POST', '/api/company/jobs/{id}/set-off/'],
  jobArrive: ['POST', '/api/company/jobs/{id}/arrive/'],
  jobComplete: ['POST', '/api/company/jobs/{id}/complete/'],
};
