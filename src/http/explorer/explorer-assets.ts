import { dirname, join } from 'node:path';

/** Where the explorer's files are served from. */
export const EXPLORER_ASSETS_PATH = '/explorer';

/** A file of an npm package, found through its package.json (the packages export no such subpath). */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * The explorer's files, served by the gateway itself so that the page needs no other
 * origin (and no internet): GraphiQL 3's browser bundle and the React 18 UMD builds it
 * runs on. GraphiQL 5 ships ES modules only and would need a bundler.
 */
export const EXPLORER_PACKAGE_FILES: Record<string, string> = {
  'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
  'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
  'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
  'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
};

/** The page's own layout: credentials bar on top, GraphiQL filling the rest. */
export const EXPLORER_CSS = `
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#explorer-credentials { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 1rem;
  border-bottom: 1px solid #ddd; font-size: 14px; flex-wrap: wrap; }
#explorer-credentials label { display: flex; gap: 0.4rem; align-items: center; }
#explorer-token-input { width: 28rem; }
#explorer-hint { color: #666; }
#graphiql { flex: 1; min-height: 0; }
`;

/**
 * The page's script (a file of its own: the Content-Security-Policy allows no inline
 * script). It reads the page's settings, offers the demo tokens when the gateway has
 * them, and sends the chosen token and purpose with every request as the
 * Authorization and X-Purpose headers. GraphiQL is mounted again when the token
 * changes, so that it reads the schema with it (introspection needs a token).
 */
export const EXPLORER_SCRIPT = `'use strict';
(function () {
  var settings = JSON.parse(document.getElementById('explorer-settings').textContent);
  var chosen = { token: '', purpose: '' };
  var bar = document.getElementById('explorer-credentials');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function option(value, text) { return element('option', { value: value }, [text]); }

  function fetcher(params, options) {
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' },
      (options && options.headers) || {});
    if (chosen.token) headers.authorization = 'Bearer ' + chosen.token;
    if (chosen.purpose) headers['x-purpose'] = chosen.purpose;
    return fetch(settings.endpoint, {
      method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit',
    }).then(function (response) { return response.json(); });
  }

  function mount() {
    root.render(React.createElement(GraphiQL, {
      key: chosen.token, fetcher: fetcher, defaultQuery: settings.defaultQuery, shouldPersistHeaders: false,
    }));
  }

  function chooseToken(token) {
    chosen.token = token.trim();
    mount();
  }

  var tokenInput = element('input', { id: 'explorer-token-input', type: 'password', autocomplete: 'off',
    placeholder: 'paste a bearer token' });
  tokenInput.addEventListener('change', function () { chooseToken(tokenInput.value); });
  var purposeSelect = element('select', { id: 'explorer-purpose' },
    [option('', 'no purpose')].concat(settings.purposes.map(function (p) { return option(p, p); })));
  purposeSelect.addEventListener('change', function () { chosen.purpose = purposeSelect.value; });

  function addDemoTokens(demoTokens) {
    var tokenSelect = element('select', { id: 'explorer-token' },
      [option('', 'choose a demo token…')].concat(demoTokens.map(function (demo, i) {
        return option(String(i), demo.label);
      })).concat([option('paste', 'paste a token…')]));
    tokenSelect.addEventListener('change', function () {
      var pasting = tokenSelect.value === 'paste';
      tokenInput.hidden = !pasting;
      chooseToken(pasting || tokenSelect.value === '' ? tokenInput.value : demoTokens[Number(tokenSelect.value)].token);
    });
    tokenInput.hidden = true;
    bar.insertBefore(element('label', {}, ['Token', tokenSelect, tokenInput]), bar.firstChild);
  }

  bar.appendChild(element('label', {}, ['Token', tokenInput]));
  bar.appendChild(element('label', {}, ['Purpose (X-Purpose)', purposeSelect]));
  bar.appendChild(element('span', { id: 'explorer-hint' }, [settings.hint]));
  if (settings.demoTokensUrl) {
    bar.removeChild(bar.firstChild);
    fetch(settings.demoTokensUrl, { credentials: 'omit' })
      .then(function (response) { return response.json(); })
      .then(addDemoTokens);
  }
  mount();
})();
`;
