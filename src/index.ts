export * from './image-digest-lookup';
export * from './image-selector';
export * from './publish';
export * from './refresh';
