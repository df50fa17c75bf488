// Money arrives from the API as decimal strings ("80.00"); show it with ¥ and two decimals, never via float maths.
function formatCny(amount) {
  if (amount === null || amount === undefined || amount === '') return '';
  const text = String(amount);
  const [whole, fraction = ''] = text.split('.');
  return `¥${whole}.${(fraction + '00').slice(0, 2)}`;
}

// Company staff see 139****0001 until their company accepted the job (the server already masks it).
function maskPhone(phone) {
  const digits = String(phone || '').replace(/^\+86/, '');
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : digits;
}

// A request's status (marketplace.models.RequestStatus) in words.
const STATUS_LABELS = {
  submitted: '已提交', matching: '派单中', offered: '待接单', accepted: '已接单', on_the_way: '已出发',
  in_service: '服务中', completed: '已完成', closed: '已办结', cancelled: '已取消', escalated: '督办中',
  transferred: '已转办', handled_at_once: '已即办',
};

function statusLabel(status) {
  return STATUS_LABELS[status] || status;
}

// Where a job's payment stands (GET /api/payments/requests/{id}/ "state").
const PAYMENT_STATE_LABELS = {
  unpaid: '未支付', pending: '支付确认中', paid: '已支付', partially_refunded: '部分退款', refunded: '已退款',
};

// The complaint categories the server takes (ratings.models.ComplaintCategory; tests/miniprogram checks
// this list against it). One per line.
const COMPLAINT_CATEGORIES = [
  { value: 'overcharge', label: '乱收费' },
  { value: 'no_show', label: '未上门' },
  { value: 'late', label: '迟到' },
  { value: 'quality', label: '服务质量差' },
  { value: 'attitude', label: '服务态度差' },
  { value: 'damage', label: '损坏物品' },
  { value: 'other', label: '其他' },
];

// A price as typed by company staff ("80", "80.5", "80.50") → "80.50"; '' when it is not yuan with at most
// two decimals. Text in, text out: money never goes through a float.
function normaliseYuan(text) {
  const match = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(String(text || '').trim());
  if (!match) return '';
  return `${String(Number(match[1]))}.${((match[2] || '') + '00').slice(0, 2)}`;
}

module.exports = {
  formatCny, maskPhone, statusLabel, STATUS_LABELS, PAYMENT_STATE_LABELS, COMPLAINT_CATEGORIES, normaliseYuan,
};
