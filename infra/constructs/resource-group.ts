import { type CfnElement, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A construct that groups one feature's resources (the HTTP API, evidence validation, scheduled
 * runs…) without renaming them. CloudFormation logical IDs are made from construct paths, and a
 * changed logical ID replaces the resource on the next deploy: a new API endpoint (the links
 * already emailed point at the old one), emptied dead-letter queues, new log groups. A group's
 * own id stays out of the logical IDs of what it holds, so moving resources from a stack into a
 * group changes nothing deployed. Only inside a GroupingStack, which allocates the IDs so; two
 * groups holding children of the same id fail the synth (CloudFormation's duplicate-ID check).
 */
export class ResourceGroup extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!(Stack.of(this) instanceof GroupingStack)) {
      throw new Error(
        `${this.node.path}: a ResourceGroup belongs in a GroupingStack, which keeps its id out of logical IDs`,
      );
    }
  }
}

/** A stack whose logical IDs skip ResourceGroups: the same IDs as if their resources were made in the stack. */
export class GroupingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
  }

  protected override allocateLogicalId(element: CfnElement): string {
    // Stack.allocateLogicalId reads the element's scopes below its stack: hand it the path
    // without the groups.
    const scopes = element.node.scopes.filter((scope) => !(scope instanceof ResourceGroup));
    return super.allocateLogicalId({ node: { scopes }, stack: element.stack } as unknown as CfnElement);
  }
}
