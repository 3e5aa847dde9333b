import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, useBrowserSession } from './harness.ts';

const session = useBrowserSession();
const baseUrl = session.baseUrl;
const newPage = () => session.newPage({ height: 1000, acceptDownloads: true });

/** A CSV as French Excel saves it: Windows-1252, semicolons, CRLF (every character here is in Latin-1). */
const frenchExcelCsv = (): Buffer =>
  Buffer.from(
    [
      'Référence;Raison sociale;Type;Adresse;CP;Ville;Téléphone;Latitude;Longitude',
      'E2E-1;Boulangerie Hénin;Client;18, rue Roger-Salengro;59217;Cattenières;03 27 00 00 00;;',
      'E2E-2;Café des Écoles;Prospect;1 place Bellecour;69002;Lyon;;123,5;4,83',
      'E2E-3;Pâtisserie Française;Client;2 rue Sainte-Catherine;33000;Bordeaux;05 56 00 00 00;;',
    ].join('\r\n') + '\r\n',
    'latin1',
  );

describe('account import in Chromium', () => {
  it('imports a Windows-1252 CSV with semicolons and a bad row, shows the report, exports the list', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl()}/login`);
    await page.getByTestId('login-email').fill(MANAGER_EMAIL);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/accounts/);

    await page.getByTestId('nav-imports').click();
    await page.waitForURL(/\/imports$/);
    await page.getByTestId('import-drop-zone').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: 'clients-excel.csv', mimeType: 'text/csv', buffer: frenchExcelCsv() });

    // Detected layout, suggested mapping, preview with the bad row.
    await page.getByTestId('import-mapping').waitFor();
    const info = (await page.getByTestId('import-file-info').textContent()) ?? '';
    expect(info).toMatch(/3 rows/);
    expect(info).toMatch(/Windows-1252/);
    expect(info).toMatch(/semicolon/);
    await expect(page.getByTestId('import-map-1').inputValue()).resolves.toBe('name');
    await expect(page.getByTestId('import-map-4').inputValue()).resolves.toBe('postcode');
    await expect(page.getByTestId('import-map-5').inputValue()).resolves.toBe('city');
    const bad = page.locator('[data-testid="import-preview-row"][data-line="3"]');
    await expect(bad.getAttribute('class')).resolves.toBe('preview-bad');
    await expect(bad.textContent()).resolves.toMatch(/Latitude 123,5 is out of range/);
    await expect(page.locator('[data-testid="import-preview-row"][data-line="2"]').textContent()).resolves.toMatch(/Boulangerie Hénin.*Cattenières/);
    await expect(page.getByTestId('import-match-externalId').getAttribute('aria-checked')).resolves.toBe('true');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-mapping.png'), fullPage: true });
    await page.getByTestId('import-preview').screenshot({ path: join(SCREENSHOT_DIR, 'import-preview.png') });

    // Run it and follow it to the end.
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-job"][data-status="done"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('import-created').textContent()).resolves.toBe('2');
    await expect(page.getByTestId('import-skipped').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('import-reasons').textContent()).resolves.toMatch(/Latitude .* is out of range/);

    // The report downloads as a CSV naming each line.
    const href = await page.getByTestId('import-report-download').getAttribute('href');
    const reportText = await page.evaluate(async (url) => (await fetch(url ?? '')).text(), href);
    expect(reportText).toMatch(/^\uFEFF?line;outcome;account_id;name;reason/);
    expect(reportText).toMatch(/\n3;skipped;;Café des Écoles;Latitude 123,5 is out of range/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import.png'), fullPage: true });

    // The imported accounts are in the list; export honours the list's filters.
    await page.goto(`${baseUrl()}/accounts?q=Boulangerie%20H%C3%A9nin`);
    await page.getByTestId('account-row').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'accounts-export.png') });
    const csvHref = (await page.getByTestId('export-csv').getAttribute('href')) ?? '';
    expect(csvHref).toContain('format=csv');
    expect(csvHref).toContain('q=Boulangerie');
    const exported = await page.evaluate(async (url) => (await fetch(url)).text(), csvHref);
    const lines = exported.trim().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF?External ID,Name,Kind/);
    expect(lines.some((l) => l.startsWith('E2E-1,Boulangerie Hénin,client'))).toBe(true);
    await expect(page.getByTestId('export-xlsx').getAttribute('href')).resolves.toContain('format=xlsx');
    await expect(page.getByTestId('export-geojson').getAttribute('href')).resolves.toContain('format=geojson');
    await page.context().close();
  });
});
