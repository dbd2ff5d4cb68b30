import { ConfigError, loadConfig } from '../../src/config';

/** PRIVACY_CONTACT: the contact point every preference page shows, one line of plain text. */
describe('PRIVACY_CONTACT', () => {
  test('defaults to Petto’s privacy address when unset or blank', () => {
    expect(loadConfig({}).privacyContact).toBe('privacy@petto.vn');
    expect(loadConfig({ PRIVACY_CONTACT: '  ' }).privacyContact).toBe('privacy@petto.vn');
  });

  test('is taken as given, trimmed', () => {
    expect(loadConfig({ PRIVACY_CONTACT: ' dpo@petto.vn · 1900 1234 ' }).privacyContact).toBe(
      'dpo@petto.vn · 1900 1234',
    );
  });

  test('refuses more than one line, control characters and long texts', () => {
    for (const raw of ['dpo@petto.vn\nSet-Cookie: x', 'dpo\u0000@petto.vn', 'x'.repeat(201)]) {
      expect(() => loadConfig({ PRIVACY_CONTACT: raw })).toThrow(ConfigError);
    }
  });
});
