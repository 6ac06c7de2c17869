import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext } from '#lib/config/stage-config';
import { addQuartermasterStacks } from '#lib/quartermaster-app';

// CDK app entry (`cdk.json`: `npx tsx bin/app.ts`). Stage settings come from context: `-c stage=dev`, or
// the `quartermaster` object in cdk.json. cdk-nag's AwsSolutions pack runs as a validation plugin: any
// unacknowledged finding fails synth and is written to cdk.out/validation-report.json.
const app = new App();
addQuartermasterStacks(app, stageConfigFromContext(app.node));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
