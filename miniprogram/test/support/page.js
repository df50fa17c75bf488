// Render a page offline with miniprogram-simulate. Pages are not components; the shim below registers the
// page's definition (data and functions) as a component so its wxml renders and its handlers run. Lifecycle
// hooks (onLoad, onShow) are called by the test, as the platform would call them.
const path = require('path');
const simulate = require('miniprogram-simulate');

const ROOT = path.join(__dirname, '..', '..');

global.Page = (definition) => {
  const methods = {};
  Object.keys(definition).forEach((key) => {
    if (typeof definition[key] === 'function') methods[key] = definition[key];
  });
  global.Component({ data: definition.data, methods });
};

const loaded = {};
function renderPage(name) {
  if (!loaded[name]) loaded[name] = simulate.load(path.join(ROOT, 'pages', name, name), { rootPath: ROOT });
  const page = simulate.render(loaded[name]);
  page.attach(document.createElement('parent'));
  return page;
}

// text(page, '.price'), or inside a child component: text(page, '.phone-login', '.confirm').
function text(page, ...selectors) {
  let node = page;
  for (const selector of selectors) {
    node = node && node.querySelector(selector);
  }
  return node ? node.dom.textContent.trim() : undefined;
}

module.exports = { renderPage, text, simulate, ROOT };
