// Entry point for the Pulumi CLI (org/Pulumi.yaml `main`), run from the management account.
import { program } from "./program";

export = program();
