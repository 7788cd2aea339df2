// @vitest-environment jsdom
/**
 * The verify-medium result names its receipt files (issue #19.2), in English and German: where
 * they went (the station, not the medium), the HTML and PDF of each bundle, and that they are not
 * signed (the app verifies without the passphrase), in words and a sign; a folder that could not
 * take them shows RECEIPT_DIR_UNUSABLE while the verification's own result stays on screen. The
 * first step's passphrase (import's signing field) goes with startVerifyMedium, or nothing does.
 */
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaVerifyView } from '../../../shared/ipc.js';
import { VerifyFlow } from '../../../renderer/src/flows/verify/VerifyFlow.js';
import { MediumReportStep } from '../../../renderer/src/flows/verify/VerifyMediumSteps.js';
import { mediumRejected, mediumVerified, running, status, usbStick } from './fixtures.js';
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

describe('the verify-medium step signs with the station key when a passphrase is typed', () => {
  function verifyApi() {
    return fakeApi({
      stationStatus: status,
      listMedia: () => ({ media: [usbStick] }),
      startVerifyMedium: { jobId: 'job-3' },
      getJob: ({ jobId }) => running(jobId, 'verify-medium'),
    });
  }

  it('a typed passphrase goes with the request (and is not kept); the field is optional', async () => {
    const fake = verifyApi();
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow pollMs={25} />, fake);
    await user.click(screen.getByRole('radio', { name: 'A whole medium' }));
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    expect(screen.getByRole('heading', { name: 'Sign the receipts of this verification' })).toBeTruthy();
    await user.type(screen.getByLabelText(/Station key passphrase/, { selector: 'input' }), 'pw');
    await user.click(screen.getByRole('button', { name: 'Verify medium' }));
    expect(fake.callsTo('startVerifyMedium')).toEqual([{ mediumId: '/dev/sdb1', passphrase: 'pw' }]);
  });

  it('nothing typed, or "Verify without signing": no passphrase is sent (German words on a German desk)', async () => {
    const fake = verifyApi();
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow pollMs={25} />, fake, 'de');
    await user.click(screen.getByRole('radio', { name: 'Ein ganzer Datenträger' }));
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    expect(screen.getByRole('heading', { name: 'Belege dieser Prüfung signieren' })).toBeTruthy();
    await user.type(screen.getByLabelText(/Passphrase des Stationsschlüssels/, { selector: 'input' }), 'pw');
    await user.click(screen.getByRole('checkbox', { name: /Ohne Signatur prüfen/ }));
    await user.click(screen.getByRole('button', { name: 'Datenträger prüfen' }));
    expect(fake.callsTo('startVerifyMedium')).toEqual([{ mediumId: '/dev/sdb1' }]);
  });
});
