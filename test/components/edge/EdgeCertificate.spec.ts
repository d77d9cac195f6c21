import assert from "node:assert/strict";
import { DnsRecord, EdgeCertificate, EdgeCertificateArgs } from "../../../components/edge/EdgeCertificate";
import { EDGE_REGION } from "../../../components/shared/regions";
import type { MockRunResult } from "../../../tools/mocks/runtime";
import { declare, ofType, oneOf } from "../../support/harness";

async function declareCert(args: EdgeCertificateArgs): Promise<{ result: MockRunResult; cert: EdgeCertificate }> {
  let cert: EdgeCertificate | undefined;
  const result = await declare(() => {
    cert = new EdgeCertificate("cert", args);
  });
  return { result, cert: cert! };
}

const value = <T>(o: { apply(f: (v: T) => void): unknown }) => new Promise<T>((resolve) => o.apply(resolve));

describe("EdgeCertificate component (mpto:edge:EdgeCertificate)", () => {
  it("requests a DNS-validated certificate in us-east-1 for the first name with the others as SANs", async () => {
    const { result } = await declareCert({ domainNames: ["www.example.com", "example.com"] });
    const cert = oneOf(result, "aws:acm/certificate:Certificate");
    assert.equal(cert.region, EDGE_REGION);
    assert.equal(cert.inputs.domainName, "www.example.com");
    assert.deepEqual(cert.inputs.subjectAlternativeNames, ["example.com"]);
    assert.equal(cert.inputs.validationMethod, "DNS");
    assert.equal(cert.inputs.keyAlgorithm, "RSA_2048");
    assert.deepEqual(cert.inputs.options, { certificateTransparencyLoggingPreference: "ENABLED" });
  });

  it("with a Route 53 zone: one validation CNAME per name in the zone, and the validation waits for exactly those records", async () => {
    const { result } = await declareCert({ domainNames: ["www.example.com", "example.com"], route53ZoneId: "Z0EXAMPLE12345" });
    const cert = oneOf(result, "aws:acm/certificate:Certificate");
    const options = cert.outputs.domainValidationOptions as any[];
    const records = ofType(result, "aws:route53/record:Record");
    assert.equal(records.length, 2);
    for (const [i, r] of records.entries()) {
      const option = options.find((o) => o.domainName === ["www.example.com", "example.com"][i]);
      assert.equal(r.inputs.zoneId, "Z0EXAMPLE12345");
      assert.equal(r.inputs.name, option.resourceRecordName);
      assert.equal(r.inputs.type, "CNAME");
      assert.deepEqual(r.inputs.records, [option.resourceRecordValue]);
    }
    const validation = oneOf(result, "aws:acm/certificateValidation:CertificateValidation");
    assert.equal(validation.region, EDGE_REGION);
    assert.deepEqual(validation.inputs.validationRecordFqdns, records.map((r) => r.outputs.fqdn));
  });

  it("without a zone: no records, the validation still gates the certificate, and the CNAMEs to publish are an output", async () => {
    const { result, cert } = await declareCert({ domainNames: ["dev.example.com"] });
    assert.equal(ofType(result, "aws:route53/record:Record").length, 0);
    const validation = oneOf(result, "aws:acm/certificateValidation:CertificateValidation");
    assert.equal(validation.inputs.validationRecordFqdns, undefined);
    assert.equal(await value(cert.certificateArn), validation.outputs.certificateArn);
    const records = await value<DnsRecord[]>(cert.validationRecords);
    assert.equal(records.length, 1);
    assert.equal(records[0].type, "CNAME");
    assert.match(records[0].name, /^_[0-9a-f]+\.dev\.example\.com\.$/);
    assert.match(records[0].value, /acm-validations\.aws\.$/);
  });

  it("refuses an empty name list", async () => {
    await assert.rejects(declareCert({ domainNames: [] }), /at least one host name/);
  });
});
