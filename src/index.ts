export * from './image-digest-lookup';
export * from './image-digest-lookup-props';
export * from './image-selector';
export * from './lookup-provider-options';
export * from './publish';
export * from './refresh';
export * from './scan-requirement';
export * from './signature-requirement';
