import { EXPLORER_ASSETS_PATH } from './explorer-assets';

export interface ExplorerSettings {
  /** Where GraphiQL sends its operations. */
  endpoint: string;
  purposes: readonly string[];
  /** Where the page fetches the demo tokens from; absent where there are none (production). */
  demoTokensUrl?: string;
}

const DEFAULT_QUERY = `# Pick a token and the purpose you act for above: every request sends them as
# the Authorization and X-Purpose headers. Then run this, or write your own
# (the Docs button lists what the schema offers).
query Me {
  me { id role purposes carrierId }
}
`;

/** JSON that cannot end the <script> element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The explorer's HTML: settings as inert JSON, every script a file of this origin. */
export function explorerPage(settings: ExplorerSettings): string {
  const hint = settings.demoTokensUrl
    ? 'Demo tokens: signed by this gateway for trying it out, never offered in production.'
    : 'Paste a bearer token issued for you.';
  const script = (file: string) => `<script src="${EXPLORER_ASSETS_PATH}/${file}"></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Petto gateway explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}/graphiql.min.css">
<link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}/explorer.css">
</head>
<body>
<header id="explorer-credentials"></header>
<div id="graphiql"></div>
<script id="explorer-settings" type="application/json">${jsonForScript({ ...settings, defaultQuery: DEFAULT_QUERY, hint })}</script>
${script('react.production.min.js')}
${script('react-dom.production.min.js')}
${script('graphiql.min.js')}
${script('explorer.js')}
</body>
</html>
`;
}
