// Follow a request; pay with WeChat Pay (wx.requestPayment) once the job is completed; rate it or complain.
const api = require('../../api/client');
const { formatCny, PAYMENT_STATE_LABELS } = require('../../utils/format');

const FINISHED = ['completed', 'closed']; // the company has done the job: it can be paid and rated

Page({
  data: {
    request: null, price: '', payment: null, paymentLabel: '', canPay: false, finished: false, served: false, rated: false,
    complained: false, busy: false, error: '', notice: '',
  },
  onLoad(query) {
    this.id = Number(query.id);
    return this.load();
  },
  async load() {
    try {
      const request = await api.requestDetail(this.id);
      const served = request.company_id !== null; // a company took it: there is someone to complain about
      const finished = served && FINISHED.includes(request.status);
      const payment = finished ? await api.paymentStatus(this.id) : null;
      this.setData({
        request, served, finished, payment, price: formatCny(request.final_price),
        paymentLabel: payment ? PAYMENT_STATE_LABELS[payment.state] || payment.state : '',
        canPay: Boolean(payment) && ['unpaid', 'pending'].includes(payment.state) && !payment.paid
          && Boolean(payment.price) && !/^0*(\.0*)?$/.test(payment.price), // ¥0.00: nothing to pay
      });
    } catch (err) {
      this.setData({ error: err.statusCode === 404 ? '找不到该需求' : err.message });
    }
  },
  async pay() {
    if (this.data.busy) return;
    this.setData({ busy: true, error: '', notice: '' });
    try {
      try {
        await api.payWithWechat(this.id);
      } catch (err) {
        // WeChat is not linked to this account yet (the link after sign-in did not happen): link the WeChat
        // running the mini program now, then pay with it. A refused link is shown as it is.
        if (err.code !== 'openid_required') throw err;
        await api.wechatConnect();
        await api.payWithWechat(this.id);
      }
      this.setData({ notice: '支付成功，正在确认' });
    } catch (err) {
      this.setData({ error: err.code === 'cancelled' ? '已取消支付' : err.message || '支付未完成' });
    }
    this.setData({ busy: false });
    await this.load();
  },
  async onRate(e) {
    this.setData({ busy: true, error: '' });
    try {
      await api.rate(this.id, e.detail);
      this.setData({ rated: true, notice: '感谢您的评价' });
    } catch (err) {
      this.setData({ error: err.message, rated: err.code === 'already_rated' });
    }
    this.setData({ busy: false });
  },
  async onComplain(e) {
    this.setData({ busy: true, error: '' });
    try {
      await api.complain(this.id, e.detail);
      this.setData({ complained: true, notice: '投诉已提交，服务中心将尽快处理' });
    } catch (err) {
      this.setData({ error: err.message });
    }
    this.setData({ busy: false });
  },
});
