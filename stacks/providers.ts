import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PRIMARY_REGION } from "../components/shared/regions";
import type { RequiredTags } from "./tags";

/**
 * The one AWS provider of the stack. Resources that must live in us-east-1 set the v7
 * per-resource `region` input instead of using a second provider, so every resource gets the
 * same `defaultTags` by construction. The default provider is disabled in the stack files
 * (`pulumi:disable-default-providers`), so nothing can slip past these tags.
 */
export function createAwsProvider(tags: RequiredTags, opts?: pulumi.CustomResourceOptions): aws.Provider {
  return new aws.Provider(
    "mpto-aws",
    {
      region: PRIMARY_REGION,
      defaultTags: { tags },
    },
    opts,
  );
}
