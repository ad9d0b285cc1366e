// Every suite, in the order of a default run.
import type { Suite } from '../lib/suite';
import { backendsSuite } from './backends';
import { dataSuite } from './data';
import { extensionSuite } from './extension';
import { inferenceSuite } from './inference';
import { kernelsSuite } from './kernels';
import { memorySuite } from './memory';
import { opsSuite } from './ops';
import { peerSuite } from './peer';
import { speedupsSuite } from './speedups';
import { trainingSuite } from './training';

export const SUITES: Suite[] = [trainingSuite, kernelsSuite, inferenceSuite, memorySuite, dataSuite, extensionSuite, speedupsSuite, peerSuite, opsSuite, backendsSuite];
