export * from './image-digest-lookup';
export * from './refresh';
