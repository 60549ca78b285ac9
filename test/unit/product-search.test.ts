import { defineSearchSuite } from '../support/search-cases.js';

defineSearchSuite('sqlite');
