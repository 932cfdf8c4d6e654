/**
 * Where `https://huggingface.co/{repo}/resolve/{rev}/{path}` sends a large file today. The own
 * pickle scan (own-scans.ts) follows that redirect with Range requests, so the extension needs
 * host access to these and to nothing else. The list is used for the manifest (wxt.config.ts).
 *
 * Sources (read 2026-11): the Hub's own machine-readable list https://huggingface.co/.well-known/meta.json
 * (`lfsDomains`, `cdnDomains`); hub-docs "Downloading behind a proxy or firewall"
 * (https://github.com/huggingface/hub-docs/pull/2628, trimmed in #2647); redirects recorded from
 * `resolve` URLs; https://github.com/huggingface/xet-core/issues/897 (GCP clients are sent to the
 * GCP edge, for LFS files too). Hosts only used by the Xet protocol itself (cas-server.*,
 * transfer.*) are not listed: `resolve` never redirects there, and the extension speaks no Xet.
 * The `cdn-lfs*.huggingface.co` names were dropped by hub-docs #2647 as legacy and are not listed:
 * a file still served from one is reported as not read, never as clean.
 */
export const STORAGE_HOST_MATCHES = [
  // Xet "bridge": the target of `resolve` for Xet-backed files (most uploads since 2025), US.
  "https://cas-bridge.xethub.hf.co/*",
  // The same bridge in the EU region.
  "https://cas-bridge.xethub-eu.hf.co/*",
  // LFS CDN, global (meta.json lfsDomains).
  "https://cdn-lfs.hf.co/*",
  // LFS CDN, US region (meta.json lfsDomains).
  "https://cdn-lfs-us-1.hf.co/*",
  // LFS CDN, EU region (meta.json lfsDomains).
  "https://cdn-lfs-eu-1.hf.co/*",
  // The CloudFront edges that replaced cdn-lfs-* for LFS files (us.aws.cdn.hf.co, eu.aws.cdn.hf.co,
  // us-east-1.aws.cdn.hf.co, … in meta.json cdnDomains): the region is chosen by the user's location,
  // so one pattern for the family rather than a list that goes stale.
  "https://*.aws.cdn.hf.co/*",
  // The GCP edges (us.gcp.cdn.hf.co and its regions in meta.json cdnDomains), chosen for GCP clients.
  "https://*.gcp.cdn.hf.co/*",
] as const;
