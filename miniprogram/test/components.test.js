// Component tests, run offline in jsdom with miniprogram-simulate.
const path = require('path');
const simulate = require('miniprogram-simulate');

const ROOT = path.join(__dirname, '..');
const loaded = {};
function load(name) {
  // miniprogram-simulate registers a component once; later loads of the same file reuse its id.
  if (!loaded[name]) loaded[name] = simulate.load(path.join(ROOT, 'components', name, name), { rootPath: ROOT });
  return loaded[name];
}

describe('price-card', () => {
  test('shows the guide price with ¥ and two decimals and the market price', () => {
    const comp = simulate.render(load('price-card'), {
      item: { id: 7, title: '日常保洁', unit: '小时', guide_price: '80', market_price: '100.5' },
    });
    comp.attach(document.createElement('parent'));
    expect(comp.querySelector('.title').dom.textContent).toBe('日常保洁');
    expect(comp.querySelector('.guide').dom.textContent).toContain('¥80.00');
    expect(comp.querySelector('.market').dom.textContent).toContain('¥100.50');
  });

  test('says there is no guide price rather than showing ¥0', () => {
    const comp = simulate.render(load('price-card'), { item: { id: 7, title: '日常保洁' } });
    comp.attach(document.createElement('parent'));
    expect(comp.querySelector('.guide')).toBeUndefined();
    expect(comp.querySelector('.no-price').dom.textContent).toBe('暂无指导价');
  });

  test('booking emits the item id', async () => {
    const comp = simulate.render(load('price-card'), { item: { id: 7, title: '日常保洁', guide_price: '80.00' } });
    comp.attach(document.createElement('parent'));
    const booked = jest.fn();
    comp.addEventListener('book', (e) => booked(e.detail));
    comp.querySelector('.book').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(booked).toHaveBeenCalledWith({ id: 7 });
  });
});

describe('status-badge', () => {
  test('shows the status in Chinese', () => {
    const comp = simulate.render(load('status-badge'), { status: 'completed' });
    comp.attach(document.createElement('parent'));
    expect(comp.querySelector('.badge').dom.textContent).toBe('已完成');
    expect(comp.querySelector('.badge').dom.className).toContain('action');
  });
});

describe('offer-card', () => {
  // GET /api/company/offers/ results: the offer with its request nested (the phone masked by the server).
  const offer = {
    id: 3, status: 'pending', status_label: '待响应', offered_at: '2026-11-23T18:00:00+08:00',
    expires_at: '2026-11-23T18:05:00+08:00', seconds_left: 170, by_hand: false,
    request: { id: 5, item: { id: 7, title: '日常保洁', upc: 'JZ-001' }, address: '东关社区1号', contact_phone: '139****0001' },
  };

  test('shows the item, the place, the masked phone and the minutes left', () => {
    const comp = simulate.render(load('offer-card'), { offer });
    comp.attach(document.createElement('parent'));
    expect(comp.querySelector('.title').dom.textContent).toBe('日常保洁');
    expect(comp.querySelector('.address').dom.textContent).toBe('东关社区1号');
    expect(comp.querySelector('.phone').dom.textContent).toBe('139****0001');
    expect(comp.querySelector('.expires').dom.textContent).toContain('3 分钟');
  });

  test('accepting emits the offer id once, however often it is tapped', async () => {
    const comp = simulate.render(load('offer-card'), { offer });
    comp.attach(document.createElement('parent'));
    const accepted = jest.fn();
    comp.addEventListener('accept', (e) => accepted(e.detail));
    comp.querySelector('.accept').dispatchEvent('tap');
    comp.querySelector('.accept').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(accepted).toHaveBeenCalledTimes(1);
    expect(accepted).toHaveBeenCalledWith({ id: 3 });
  });
});

describe('code-login', () => {
  function typeInto(comp, selector, value) {
    comp.querySelector(selector).dispatchEvent('input', { detail: { value } });
  }

  test('refuses a number that is not an 11-digit mobile number', async () => {
    const comp = simulate.render(load('code-login'));
    comp.attach(document.createElement('parent'));
    const requested = jest.fn();
    comp.addEventListener('requestcode', requested);
    typeInto(comp, '.phone', '12345');
    comp.querySelector('.send').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(requested).not.toHaveBeenCalled();
    expect(comp.querySelector('.error').dom.textContent).toBe('请输入11位手机号');
  });

  test('asks for a code for the number in E.164 form, then confirms six digits', async () => {
    const comp = simulate.render(load('code-login'));
    comp.attach(document.createElement('parent'));
    const requested = jest.fn();
    const confirmed = jest.fn();
    comp.addEventListener('requestcode', (e) => requested(e.detail));
    comp.addEventListener('confirm', (e) => confirmed(e.detail));
    typeInto(comp, '.phone', '13900000001');
    comp.querySelector('.send').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(requested).toHaveBeenCalledWith({ phone: '+8613900000001' });
    comp.setData({ sent: true });
    typeInto(comp, '.code', '12345');
    comp.querySelector('.confirm').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(confirmed).not.toHaveBeenCalled();
    typeInto(comp, '.code', '123456');
    comp.querySelector('.confirm').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(confirmed).toHaveBeenCalledWith({ code: '123456' });
  });
});
