import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; npm's browser downloads cannot reach their hosts here or in CI. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when a browser test can run; `.ci/run` installs chromium when it can. */
export const chromiumInstalled = existsSync(CHROMIUM_PATH);

/**
 * `describe` for browser tests: skips with a loud message, never silently, when chromium is
 * missing (the only case in which a browser test may not run).
 */
export const describeInBrowser: jest.Describe = chromiumInstalled
  ? describe
  : (((name: string, body: () => void) => {
      console.warn(`SKIPPED "${name}": no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
      describe.skip(name, body);
    }) as jest.Describe);

/** Headless chromium with the flags this sandbox needs (no background network, no sandbox as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
