// Constructs the policy pack (this starts the analyzer's gRPC server): import nothing from here.
// The policies themselves live in catalog.ts and the family modules it lists.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./catalog";

new PolicyPack("mpto-guardrails", { policies, enforcementLevel: "mandatory" });
