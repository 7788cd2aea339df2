// @vitest-environment jsdom
/**
 * The verify-medium result names its receipt files (issue #19.2), in English and German: where
 * they went (the station, not the medium), the HTML and PDF of each bundle, and that they are not
 * signed (the app verifies without the passphrase), in words and a sign; a folder that could not
 * take them shows RECEIPT_DIR_UNUSABLE while the verification's own result stays on screen.
 */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaVerifyView } from '../../../shared/ipc.js';
import { MediumReportStep } from '../../../renderer/src/flows/verify/VerifyMediumSteps.js';
import { mediumRejected, mediumVerified, usbStick } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const dir = '/home/op/.airlock/receipts';
const receipt: NonNullable<MediaVerifyView['receipt']> = {
  dir,
  signed: false,
  problem: null,
  sets: [
    {
      json: `${dir}/airlock-000007-20261128.media-verify-receipt.json`,
      signature: null,
      html: `${dir}/airlock-000007-20261128.media-verify-receipt.html`,
      pdf: `${dir}/airlock-000007-20261128.media-verify-receipt.pdf`,
      pdfSignature: null,
    },
  ],
};

function show(report: MediaVerifyView, locale: 'en' | 'de' = 'en'): void {
  renderWithApi(<MediumReportStep report={report} medium={usbStick} onAnother={() => undefined} />, fakeApi({}), locale);
}

describe('the verify-medium result names its receipts', () => {
  it('English: the folder on the station, the HTML and PDF, and "not signed" in words', () => {
    show({ ...mediumVerified, auditEvent: 12, receipt });
    const box = screen.getByText('Receipts of this verification').closest('[data-medium-receipts]') as HTMLElement;
    expect(box.getAttribute('data-medium-receipts')).toBe('1');
    expect(box.textContent).toContain('Written on this station, not on the medium, to:');
    expect(box.textContent).toContain(dir);
    expect(box.textContent).toContain('airlock-000007-20261128.media-verify-receipt.html');
    expect(box.textContent).toContain('airlock-000007-20261128.media-verify-receipt.pdf');
    expect(box.querySelector('[data-receipt-signed="false"]')?.textContent).toContain('The receipts are not signed');
  });

  it('German, for a rejected medium too', () => {
    show({ ...mediumRejected, auditEvent: 13, receipt }, 'de');
    expect(screen.getByText('Belege dieser Prüfung')).toBeTruthy();
    expect(screen.getByText(/Die Belege sind nicht signiert/)).toBeTruthy();
    expect(screen.getByText(/für die Akte \(PDF\):/)).toBeTruthy();
  });

  it('a receipt folder that could not take them: RECEIPT_DIR_UNUSABLE, the verification still shown', () => {
    show({ ...mediumVerified, receipt: { ...receipt, sets: [], problem: { code: 'RECEIPT_DIR_UNUSABLE', message: `${dir}: EACCES` } } });
    expect(screen.getByRole('heading', { name: 'Medium verified' })).toBeTruthy();
    const alert = document.querySelector('[data-error-code="RECEIPT_DIR_UNUSABLE"]') as HTMLElement;
    expect(alert.textContent).toContain('No receipt was written; the verification stands');
    expect(screen.queryByText('Receipts of this verification')).toBeNull();
  });

  it('no receipt field (nothing found on the medium): no receipt section', () => {
    show(mediumVerified);
    expect(screen.queryByText('Receipts of this verification')).toBeNull();
  });
});
