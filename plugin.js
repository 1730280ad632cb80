// The CDK CLI plugin of cdk-image-digest-lookup: add
// "plugin": ["cdk-image-digest-lookup/plugin"] to cdk.json.
module.exports = require('./assets/plugin/index/index.js');
