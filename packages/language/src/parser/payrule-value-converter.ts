import { DefaultValueConverter, type CstNode, type GrammarAST, type ValueType } from 'langium';

/** Reads money literals (`$2,480.00`) as numbers; everything else as Langium does. */
export class PayruleValueConverter extends DefaultValueConverter {
    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, cstNode: CstNode): ValueType {
        if (rule.name === 'MONEY') {
            return Number(input.slice(1).replaceAll(',', ''));
        }
        return super.runConverter(rule, input, cstNode);
    }
}
