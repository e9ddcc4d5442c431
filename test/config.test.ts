import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('reads EMBED_HOSTS as a list of lower-case host names, empty or unset as none', () => {
    expect(loadConfig({ EMBED_HOSTS: ' mentimeter.com, Player.Example.org ,' }).EMBED_HOSTS).toEqual([
      'mentimeter.com',
      'player.example.org',
    ]);
    expect(loadConfig({ EMBED_HOSTS: '' }).EMBED_HOSTS).toBeUndefined();
    expect(loadConfig({}).EMBED_HOSTS).toBeUndefined();
  });

  it('refuses an EMBED_HOSTS entry that is not a host name, naming the variable', () => {
    expect(() => loadConfig({ EMBED_HOSTS: 'https://mentimeter.com/' })).toThrow(/EMBED_HOSTS.*host names such as mentimeter\.com/);
  });

  it('refuses a WEBHOOK_URLS entry with a user or password, without repeating it', () => {
    const secret = `whsec_${Buffer.from('config-test-secret-0123456789').toString('base64')}`;
    const urls = 'https://hooks.example.org/ok,https://deploy:hunter2token@hooks.example.org/build';
    expect(() => loadConfig({ WEBHOOK_URLS: urls, WEBHOOK_SECRET: secret })).toThrow(/WEBHOOK_URLS.*must not hold a user or password/);
    expect(() => loadConfig({ WEBHOOK_URLS: urls, WEBHOOK_SECRET: secret })).not.toThrow(/hunter2token/);
    expect(loadConfig({ WEBHOOK_URLS: 'https://hooks.example.org/build?token=abc', WEBHOOK_SECRET: secret }).WEBHOOK_URLS).toEqual([
      'https://hooks.example.org/build?token=abc',
    ]);
  });
});
