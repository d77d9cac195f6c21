// Entry point for the Pulumi CLI (Pulumi.yaml `main`). The stack's outputs are the program's result.
import { program } from "./program";

export = program();
