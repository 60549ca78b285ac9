export { myProductsFlow } from './mine.js';
export { postProductFlow } from './post.js';
