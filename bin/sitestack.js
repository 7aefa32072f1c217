#!/usr/bin/env node
import { main } from "../dist/stacks/cli/main.js"; await main();
