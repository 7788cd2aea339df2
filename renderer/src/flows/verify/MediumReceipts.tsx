/**
 * Where a medium's verification receipts went (issue #19.2): one set per bundle checked, in the
 * station home's receipts/ folder, never on the medium. Signed when the operator typed the station
 * key's passphrase on the first step, else unsigned, said in words and a sign. A folder that
 * could not take them is shown with its code; the verification above stands either way.
 */
import { Alert, Code, List, Text } from '@mantine/core';
import { displayText } from '../../../../shared/display-text.js';
import type { MediaVerifyView } from '../../../../shared/ipc.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';

export function MediumReceipts({ receipt }: { receipt: MediaVerifyView['receipt'] }) {
  const t = useT();
  if (receipt === undefined) return null;
  if (receipt.problem !== null) {
    return <ErrorAlert title={t('verify.medium.receiptMissing')} error={{ code: 'RECEIPT_DIR_UNUSABLE', message: receipt.problem.message }} />;
  }
  return (
    <Alert color="gray" title={t('verify.medium.receipts')} data-medium-receipts={receipt.sets.length}>
      <Text size="sm">
        {t('verify.medium.receiptDir')} <Code>{displayText(receipt.dir)}</Code>
      </Text>
      <List size="sm" mt="xs">
        {receipt.sets.map((set) => (
          <List.Item key={set.json}>
            <Code>{displayText(set.html)}</Code>
            {set.pdf ? (
              <>
                {' '}
                {t('verify.medium.receiptPdf')} <Code>{displayText(set.pdf)}</Code>
              </>
            ) : null}
          </List.Item>
        ))}
      </List>
      {/* Signed or not in words and a sign, never colour alone. */}
      <Text size="sm" mt="xs" data-receipt-signed={receipt.signed}>
        <span aria-hidden="true">{receipt.signed ? '✓ ' : '– '}</span>
        {t(receipt.signed ? 'verify.medium.receiptSigned' : 'verify.medium.receiptUnsigned')}
      </Text>
    </Alert>
  );
}
