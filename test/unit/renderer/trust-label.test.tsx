// @vitest-environment jsdom
/** The station key's engine label ("this station") in the app's language; an operator's label as typed (found on the German walk). */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignerCard } from '../../../renderer/src/components/SignerCard.js';
import { fakeApi, installDomShims, renderWithApi } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const signer = (label: string, role: string | null) => ({
  fingerprint: 'AB'.repeat(20),
  userIds: ['Übergabestation Köln'],
  label,
  role,
  signedAt: '2026-12-03T10:00:00.000Z',
});

describe('trust labels on the signer card', () => {
  it('shows the station key’s own label in German on a German station', () => {
    renderWithApi(<SignerCard signer={signer('this station', 'station')} />, fakeApi({}), 'de');
    const card = screen.getByLabelText(/Übergabestation Köln/u);
    expect(card.textContent).toContain('diese Station');
    expect(card.textContent).not.toContain('this station');
  });

  it('shows an operator’s label as typed, also when it happens to read "this station"', () => {
    renderWithApi(<SignerCard signer={signer('this station', 'operator')} />, fakeApi({}), 'de');
    expect(screen.getByLabelText(/Übergabestation Köln/u).textContent).toContain('this station');
    cleanup();
    renderWithApi(<SignerCard signer={signer('Labor B Diode', null)} />, fakeApi({}), 'de');
    expect(screen.getByLabelText(/Übergabestation Köln/u).textContent).toContain('Labor B Diode');
  });
});
