// CloudFront Function, runtime cloudfront-js-2.0. Deployed exactly as
// functions/edge/cloudfrontFunction.ts builds it: that module puts the
// `var CONFIG = {...};` line first (media prefix and robots rules from
// functions/edge/headers.ts) and appends this file unchanged.
//
// One function, two associations:
// - viewer-request on the media behaviour: strips the media path prefix, so
//   `<prefix>/videos/a.mp4` reads the bucket key `videos/a.mp4`;
// - viewer-response on the site's default behaviour: X-Robots-Tag on admin paths.
// No network, no timers, no require: the CloudFront Functions runtime has none.

function handler(event) {
  if (event.context.eventType === 'viewer-request') {
    return stripMediaPrefix(event.request);
  }
  return addRobotsTag(event.request, event.response);
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
