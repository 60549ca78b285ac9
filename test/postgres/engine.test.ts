import { defineEngineSuite } from '../flows/engine-suite.js';

defineEngineSuite('postgresql');
