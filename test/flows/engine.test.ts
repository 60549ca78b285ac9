import { defineEngineSuite } from './engine-suite.js';

defineEngineSuite('sqlite');
