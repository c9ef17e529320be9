import SCIMMY from 'scimmy';
import { MAX_BULK_OPERATIONS, MAX_BULK_PAYLOAD, MAX_PAGE_SIZE } from './limits.ts';

/**
 * SCIMMY keeps its schemas, resource declarations and service provider configuration in
 * process-global state. This module is the only place that touches that state, and it is
 * idempotent so several apps in one process (tests, the all-in-one entry) can share it.
 *
 * Why scimmy at the schema level and not through `SCIMMY.Resources.*.read/write/patch` handlers
 * (and not scimmy-routers):
 * - its resource methods turn every non-SCIM error from a handler into 404 ("not found"), so a
 *   database outage would tell Okta that a user is missing and Okta would create a duplicate;
 * - `Resource#patch` reads, patches and writes in three separate steps: we need the patch applied
 *   inside the store's row-locked transaction (`IdentityStore.update`'s mutate callback);
 * - `ListResponse` re-paginates already-paged results and cannot carry our `totalResults`;
 * - resource basepaths are global, but `meta.location` must follow each request's host.
 * What scimmy is good at, and what we use it for: schema validation and coercion of incoming
 * resources (`new SCIMMY.Schemas.User(body, "in")`), `attributes`/`excludedAttributes`
 * projection (`new SCIMMY.Schemas.User(data, "out", basepath, filter)`), PatchOp application
 * (`SCIMMY.Messages.PatchOp#apply`) and the discovery documents (`SCIMMY.Config`, schema and
 * resource type descriptions).
 */
let configured = false;

export function configureScimmy(): void {
  if (configured) return;
  configured = true;

  // Users carry the enterprise extension (department, manager, …); it is optional per user.
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false));
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);

  // scimmy 1.3.5 declares `roles.type` and `x509Certificates.type` with an EMPTY canonicalValues
  // list, which rejects every value. RFC 7643 §7 makes canonical values suggestions, and these two
  // have none: accept any string (and so /Schemas no longer advertises an empty list).
  for (const path of ['roles.type', 'x509Certificates.type']) {
    SCIMMY.Schemas.User.definition.attribute(path).config.canonicalValues = false;
  }

  // Groups hold users only (the store refuses nested groups): say so in /Schemas and refuse a
  // `type: "Group"` member at validation time with the same 400 the store would give.
  const members = SCIMMY.Schemas.Group.definition;
  members.attribute('members.type').config.canonicalValues = ['User'];
  members.attribute('members.$ref').config.referenceTypes = ['User'];

  SCIMMY.Config.set({
    patch: true,
    // filter.maxResults is the most resources one page returns (larger `count`s are clamped)
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    sort: true,
    etag: true,
    // ffgate stores no passwords (users authenticate at their IdP): a `password` in POST/PUT/PATCH
    // is accepted (Okta sends one) and dropped — never stored, returned, versioned or evented
    changePassword: false,
    // /Bulk enforces exactly these limits (413 beyond them)
    bulk: { supported: true, maxOperations: MAX_BULK_OPERATIONS, maxPayloadSize: MAX_BULK_PAYLOAD },
    authenticationSchemes: [],
  });
  SCIMMY.Config.set('authenticationSchemes', {
    type: 'oauthbearertoken',
    name: 'OAuth Bearer Token',
    description:
      'Authorization: Bearer with a per-connection token (ffscim_…) issued by the ffgate admin API, or an OAuth 2.0 access token with scope "scim" (audience ffgate-scim) from the ffgate token service when that is configured.',
    specUri: 'https://www.rfc-editor.org/info/rfc6750',
  });
}
