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

const STATUS_LABELS = {
  new: '新建', matching: '派单中', offered: '待接单', accepted: '已接单', on_the_way: '已出发',
  arrived: '已到达', completed: '已完成', paid: '已支付', closed: '已关闭', cancelled: '已取消',
  transferred: '已转办',
};

function statusLabel(status) {
  return STATUS_LABELS[status] || status;
}

module.exports = { formatCny, maskPhone, statusLabel };
