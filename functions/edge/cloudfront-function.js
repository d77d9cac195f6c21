// CloudFront Function, runtime cloudfront-js-2.0. Deployed exactly as
// functions/edge/cloudfrontFunction.ts builds it: that module puts the
// `var CONFIG = {...};` line first (media prefix and robots rules from
// functions/edge/headers.ts) and appends this file unchanged.
//
// One function, two kinds of association:
// - viewer-request on every behaviour: refuses any Host that is not one of the
//   distribution's aliases (the distribution's own *.cloudfront.net name
//   among them), then, on the media behaviour, strips the media path prefix,
//   so `<prefix>/videos/a.mp4` reads the bucket key `videos/a.mp4`;
// - viewer-response on the site's default behaviour: X-Robots-Tag on admin paths.
// No network, no timers, no require: the CloudFront Functions runtime has none.
// ES5.1 syntax only, so the same text also runs under Debian's njs
// (npm run test:njs), an engine other than V8.

function handler(event) {
  if (event.context.eventType === 'viewer-request') {
    if (!servedHost(event.request)) {
      return refuse();
    }
    return stripMediaPrefix(event.request);
  }
  return addRobotsTag(event.request, event.response);
}

// Host names are case-insensitive and may carry a port (RFC 9110 7.2).
function servedHost(request) {
  var header = request.headers.host;
  if (!header) {
    return false;
  }
  var host = header.value.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return CONFIG.hosts.indexOf(host) !== -1;
}

// A 403 straight from the edge: the origin is never contacted and nothing is
// cached (a viewer-request response is not stored).
function refuse() {
  return {
    statusCode: 403,
    statusDescription: 'Forbidden',
    headers: {
      'content-type': { value: 'text/plain; charset=utf-8' },
      'cache-control': { value: 'no-store' }
    },
    body: { encoding: 'text', data: 'This host name is not served here.\n' }
  };
}

function stripMediaPrefix(request) {
  var prefix = CONFIG.mediaPathPrefix;
  if (request.uri.indexOf(prefix + '/') === 0) {
    request.uri = request.uri.substring(prefix.length);
  }
  return request;
}

function normalisePath(uri) {
  var path = uri;
  try {
    path = decodeURIComponent(uri);
  } catch (e) {
    // Malformed escapes: match on the raw path.
  }
  return path.toLowerCase();
}

function addRobotsTag(request, response) {
  var path = normalisePath(request.uri);
  var rules = CONFIG.robotsRules;
  for (var i = 0; i < rules.length; i++) {
    if (new RegExp(rules[i].pattern).test(path)) {
      response.headers['x-robots-tag'] = { value: rules[i].value };
      break;
    }
  }
  return response;
}
