/**
 * A chart entry of airlock-images.json against the Helm chart it names. The report, the audit row,
 * the receipt and the registry's tag all say what the entry says (`chart web:1.2.0`), and a site
 * installs by that name (`helm install oci://REGISTRY/web --version 1.2.0`); what it gets is the
 * chart whose metadata is the manifest's Helm config (Chart.yaml as JSON: `helm push` writes it).
 * Helm's own registry client refuses to push a chart under another name ("strict mode enabled, ref
 * basename and tag must match the chart name and version"): so a signed entry naming `nginx:1.25`
 * for a chart that calls itself something else is a label the bytes do not bear out. And the kind
 * is a claim too: an image shown as a chart, or a chart as an image, tells the operator the wrong
 * thing about what goes into the registry. Helm's pull also needs exactly one chart layer.
 */
import type { ImageEntry } from '../images-file.js';
import { MEDIA_TYPES } from '../layout-format.js';
import { normalizeRepository, normalizeTag } from '../sources/target-name.js';
import { parseJsonBytes, type ImageManifestDoc, type OciDocument } from './documents.js';

/** Why `entry` does not describe the document it names; null when it does. `configBytes`: the manifest's config, when the bundle carries it. */
export function chartDisagreement(entry: ImageEntry, doc: OciDocument, configBytes: (digest: string) => Buffer | null): string | null {
  const isChart = doc.kind === 'manifest' && doc.config.mediaType === MEDIA_TYPES.helmConfig;
  if (entry.kind === 'chart' && !isChart)
    return `it is declared a chart, but ${entry.digest} is not a Helm chart manifest (its config is not ${MEDIA_TYPES.helmConfig}).`;
  if (entry.kind !== 'chart' && isChart) return `it is declared an image, but ${entry.digest} is a Helm chart (its config is ${MEDIA_TYPES.helmConfig}).`;
  if (!isChart) return null;
  return chartLayers(doc) ?? chartName(entry, doc, configBytes);
}

/** Helm's pull takes the one layer of the chart's content type; none or two is no chart it can install. */
function chartLayers(doc: ImageManifestDoc): string | null {
  const count = doc.layers.filter((l) => l.mediaType === MEDIA_TYPES.helmChart).length;
  return count === 1 ? null : `the chart manifest holds ${count} chart layers (${MEDIA_TYPES.helmChart}); Helm needs exactly one.`;
}

/** The entry's repository basename and tag against the chart's name and version, brought to registry grammar as export does. */
function chartName(entry: ImageEntry, doc: ImageManifestDoc, configBytes: (digest: string) => Buffer | null): string | null {
  const bytes = configBytes(doc.config.digest);
  if (bytes === null) return `the chart's config ${doc.config.digest} could not be read to show its name and version.`;
  const json = parseJsonBytes(bytes, 'the chart config');
  const meta = typeof json === 'string' ? null : (json.json as { name?: unknown; version?: unknown } | null);
  const name = typeof meta?.name === 'string' ? normalizeRepository(meta.name) : null;
  const version = typeof meta?.version === 'string' ? normalizeTag(meta.version) : null;
  if (name === null || version === null) return `the chart's config ${doc.config.digest} has no name and version usable as repository and tag.`;
  if (entry.repository !== name && !entry.repository.endsWith(`/${name}`))
    return `the chart calls itself ${name}, but it is declared as ${entry.repository}: Helm pushes a chart only under its own name.`;
  if (entry.tag !== null && entry.tag !== version)
    return `the chart's version is ${version}, not ${entry.tag}: Helm pushes a chart only under its own version.`;
  return null;
}
