// The components the pages are built from (job-card, rating-form, complaint-form, booking-questions), run
// offline in jsdom with miniprogram-simulate: what they show and exactly what they emit.
const path = require('path');
const simulate = require('miniprogram-simulate');
const F = require('./support/fixtures');

const ROOT = path.join(__dirname, '..');
const loaded = {};
function render(name, props) {
  if (!loaded[name]) loaded[name] = simulate.load(path.join(ROOT, 'components', name, name), { rootPath: ROOT });
  const comp = simulate.render(loaded[name], props);
  comp.attach(document.createElement('parent'));
  return comp;
}
function listen(comp, name) {
  const seen = [];
  comp.addEventListener(name, (e) => seen.push(e.detail));
  return seen;
}
const type = (comp, selector, value) => comp.querySelector(selector).dispatchEvent('input', { detail: { value } });
const tap = (comp, selector) => comp.querySelector(selector).dispatchEvent('tap');

describe('job-card', () => {
  test.each([
    ['accepted', '.set-off', 'setoff'],
    ['on_the_way', '.arrive', 'arrive'],
  ])('a job %s offers its next step only, once', async (status, button, event) => {
    const comp = render('job-card', { job: F.companyJob({ status }) });
    expect(['.set-off', '.arrive', '.complete'].filter((s) => comp.querySelector(s))).toEqual([button]);
    const seen = listen(comp, event);
    tap(comp, button);
    tap(comp, button);
    await simulate.sleep(0);
    expect(seen).toEqual([{ id: 5 }]);
  });

  test('completing sends the final price as yuan text with two decimals and the quantity', async () => {
    const comp = render('job-card', { job: F.companyJob({ status: 'in_service' }) });
    const seen = listen(comp, 'complete');
    type(comp, '.final-price', '80.5');
    type(comp, '.quantity', '2');
    tap(comp, '.complete');
    await simulate.sleep(0);
    expect(seen).toEqual([{ id: 5, final_price: '80.50', quantity: '2' }]);
  });

  test.each(['', 'abc', '80.123', '-5', '1e3'])('a final price of "%s" is refused before anything is sent', async (price) => {
    const comp = render('job-card', { job: F.companyJob({ status: 'in_service' }) });
    const seen = listen(comp, 'complete');
    type(comp, '.final-price', price);
    tap(comp, '.complete');
    await simulate.sleep(0);
    expect(seen).toEqual([]);
    expect(comp.querySelector('.error').dom.textContent).toContain('实际收费金额');
  });

  test('a completed job shows what was charged and no step', () => {
    const comp = render('job-card', { job: F.companyJob({ status: 'completed', final_price: '80.00' }) });
    expect(comp.querySelector('.price').dom.textContent).toContain('¥80.00');
    expect(['.set-off', '.arrive', '.complete'].filter((s) => comp.querySelector(s))).toEqual([]);
  });

  test('the phone stays masked as the server sent it', () => {
    const comp = render('job-card', { job: F.companyJob({ contact_phone: '139****0077', contact_phone_masked: true }) });
    expect(comp.querySelector('.phone').dom.textContent).toBe('139****0077');
  });
});

describe('rating-form', () => {
  test('sends the four scores as whole numbers and the comment', async () => {
    const comp = render('rating-form');
    const seen = listen(comp, 'submit');
    comp.querySelector('.quality').dispatchEvent('change', { detail: { value: 4 } });
    comp.querySelector('.punctuality').dispatchEvent('change', { detail: { value: '3' } });
    type(comp, '.comment', ' 准时，干净 ');
    tap(comp, '.submit');
    await simulate.sleep(0);
    expect(seen).toEqual([{ overall: 5, punctuality: 3, attitude: 5, quality: 4, comment: '准时，干净' }]);
  });
});

describe('complaint-form', () => {
  test('asks for a category and a description before sending', async () => {
    const comp = render('complaint-form');
    const seen = listen(comp, 'submit');
    type(comp, '.description', '多收了20元');
    tap(comp, '.submit');
    await simulate.sleep(0);
    expect(seen).toEqual([]);
    expect(comp.querySelector('.error').dom.textContent).toBe('请选择投诉类型');

    comp.querySelector('.category').dispatchEvent('change', { detail: { value: '0' } });
    type(comp, '.evidence', '付款截图');
    tap(comp, '.submit');
    await simulate.sleep(0);
    expect(seen).toEqual([{ category: 'overcharge', description: '多收了20元', evidence_text: '付款截图' }]);
  });
});

describe('booking-questions', () => {
  const questions = [
    { code: 'area', name: '面积（平方米）', type: 'integer', required: true, options: [] },
    { code: 'floor', name: '地面', type: 'option', required: false, options: ['瓷砖', '木地板'] },
    { code: 'pets', name: '家里有宠物', type: 'boolean', required: false, options: [] },
    { code: 'note', name: '其他说明', type: 'text', required: false, options: [] },
  ];

  test('answers by question code: whole numbers as text, an option, yes/no, text', async () => {
    const comp = render('booking-questions', { questions });
    const seen = listen(comp, 'change');
    type(comp, '.integer', '80');
    comp.querySelector('.option').dispatchEvent('change', { detail: { value: '1' } });
    comp.querySelector('.boolean').dispatchEvent('change', { detail: { value: true } });
    type(comp, '.text', ' 钥匙在门卫 ');
    await simulate.sleep(0);
    expect(seen[seen.length - 1]).toEqual({ answers: { area: '80', floor: '木地板', pets: true, note: '钥匙在门卫' } });
    expect(comp.querySelector('.option').dom.textContent).toContain('木地板');
  });

  test('a cleared answer is left out; a switch not touched answers no', async () => {
    const comp = render('booking-questions', { questions });
    const seen = listen(comp, 'change');
    type(comp, '.integer', '80');
    type(comp, '.integer', '');
    await simulate.sleep(0);
    expect(seen[seen.length - 1]).toEqual({ answers: { pets: false } });
  });
});
